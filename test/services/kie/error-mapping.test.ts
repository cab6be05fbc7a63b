import { afterEach, describe, expect, it } from 'vitest';
import { isModelUnavailable, KieError, maskKey } from '../../../src/services/kie/index.js';
import { type CannedAnswer, envelope, startCannedServer, TEST_KEY, testClient } from './canned-server.js';

const MODEL = 'sora-2-image-to-video';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts a server that always gives `answer`, and returns what one call of `run` threw. */
async function failureOf(
  answer: CannedAnswer,
  run: (client: ReturnType<typeof testClient>) => Promise<unknown>,
): Promise<KieError> {
  const server = await startCannedServer(() => answer);
  const client = testClient(server.url, { retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } });
  cleanups.push(() => client.close(), server.close);
  const err = await run(client).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KieError);
  const kieErr = err as KieError;
  expect(kieErr.message).not.toContain(TEST_KEY);
  return kieErr;
}

const create = (client: ReturnType<typeof testClient>) =>
  client.createTask(TEST_KEY, { model: MODEL, input: { prompt: 'a cat' } });
const poll = (client: ReturnType<typeof testClient>) => client.getTask(TEST_KEY, 'task_1');
const credits = (client: ReturnType<typeof testClient>) => client.getCredits(TEST_KEY);

describe('Kie error mapping', () => {
  it('treats HTTP 200 with body code 401 as an invalid key', async () => {
    const err = await failureOf({ status: 200, body: envelope(401, 'Unauthorized') }, credits);
    expect(err).toMatchObject({ name: 'KieError', kind: 'invalid-key' });
    expect(err).toMatchObject({ kind: 'invalid-key', code: 401, httpStatus: 200, retryable: false });
  });

  it('treats 403 as an invalid key (IP allow-list)', async () => {
    const err = await failureOf({ status: 403, body: envelope(403, 'IP not allowed') }, credits);
    expect(err).toMatchObject({ name: 'KieError', kind: 'invalid-key' });
  });

  it.each([
    [402, 'Credits insufficient', 'insufficient-credits', false],
    [422, 'input.image_urls is invalid', 'validation', false],
    [429, 'Too many requests', 'rate-limited', true],
    [433, 'Sub-key rate limit exceeded', 'sub-key-limited', false],
    [455, 'Service under maintenance', 'maintenance', true],
    [501, 'Generation failed', 'generation-failed', false],
    [505, 'Feature disabled', 'feature-disabled', false],
    [500, 'Internal error', 'upstream', true],
    [503, 'Busy', 'upstream', true],
    [418, 'Teapot', 'upstream', false],
  ] as const)('maps body code %i to the right error on a read', async (code, msg, kind, retryable) => {
    const err = await failureOf({ status: 200, body: envelope(code, msg) }, credits);
    expect(err).toMatchObject({ kind, code, retryable, detail: msg });
  });

  it('keeps the field named by a 422 in detail', async () => {
    const err = await failureOf({ body: envelope(422, 'prompt is too long (max 10000)') }, create);
    expect(err).toMatchObject({ name: 'KieError', kind: 'validation' });
    expect(err.detail).toBe('prompt is too long (max 10000)');
    expect(err.message).toContain('prompt is too long');
  });

  it('treats a 500 saying a field is required as a validation error', async () => {
    const err = await failureOf({ status: 500, body: envelope(500, 'This field is required') }, create);
    expect(err).toMatchObject({ name: 'KieError', kind: 'validation' });
    expect(err).toMatchObject({ code: 500, retryable: false, detail: 'This field is required' });
  });

  it('reads `message` when `msg` is absent', async () => {
    const err = await failureOf({ body: { code: 422, message: 'n_frames must be "10" or "15"' } }, create);
    expect(err.detail).toBe('n_frames must be "10" or "15"');
  });

  it('turns 422 "recordInfo is null" on recordInfo into an unknown task', async () => {
    const err = await failureOf({ body: envelope(422, 'recordInfo is null') }, poll);
    expect(err).toMatchObject({ name: 'KieError', kind: 'unknown-task' });
    expect(err.route).toBe('recordInfo');
  });

  it('turns 404 on recordInfo into an unknown task, but not elsewhere', async () => {
    expect(await failureOf({ status: 404, body: envelope(404, 'Not found') }, poll)).toMatchObject({
      name: 'KieError',
      kind: 'unknown-task',
    });
    expect(await failureOf({ status: 404, body: envelope(404, 'Not found') }, credits)).toMatchObject({
      name: 'KieError',
      kind: 'upstream',
    });
  });

  it('carries the model on 505', async () => {
    const err = await failureOf({ body: envelope(505, `Model ${MODEL} is paused`) }, create);
    expect(err).toMatchObject({ name: 'KieError', kind: 'feature-disabled' });
    expect((err as KieError).model).toBe(MODEL);
    expect(isModelUnavailable(err, MODEL)).toBe(true);
  });

  it('turns an HTML page from the CDN into a retryable non-JSON error', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const err = await failureOf({ status: 502, contentType: 'text/html', body: html }, credits);
    expect(err).toMatchObject({ name: 'KieError', kind: 'non-json' });
    expect(err).toMatchObject({ httpStatus: 502, retryable: true, ambiguous: false });
    expect(err.message).toContain('text/html');
  });

  it('turns malformed JSON with a JSON content type into a non-JSON error', async () => {
    const err = await failureOf(
      { contentType: 'application/json', body: '{"code": 200, "data": {' },
      credits,
    );
    expect(err).toMatchObject({ name: 'KieError', kind: 'non-json' });
  });

  it('turns JSON of the wrong shape into a non-retryable unexpected answer', async () => {
    const err = await failureOf({ body: { ok: true, result: 5 } }, credits);
    expect(err).toMatchObject({ name: 'KieError', kind: 'unexpected-answer' });
    expect(err.retryable).toBe(false);
    const noTaskId = await failureOf({ body: envelope(200, 'success', { id: 'x' }) }, create);
    expect(noTaskId).toMatchObject({ name: 'KieError', kind: 'unexpected-answer' });
    expect(noTaskId.message).toContain('data.taskId');
  });

  it('maps a non-envelope JSON error by its HTTP status (a proxy answered)', async () => {
    const err = await failureOf({ status: 503, body: { message: 'upstream connect error' } }, credits);
    expect(err).toMatchObject({ name: 'KieError', kind: 'upstream' });
    expect(err).toMatchObject({ httpStatus: 503, retryable: true });
  });

  it('never puts the API key in a message, even when Kie echoes it', async () => {
    const err = await failureOf({ body: envelope(401, `Invalid key ${TEST_KEY}`) }, credits);
    expect(err.message).not.toContain(TEST_KEY);
    expect(err.detail).not.toContain(TEST_KEY);
    expect(err.message).toContain(maskKey(TEST_KEY));
  });
});

describe('isModelUnavailable', () => {
  const upstream = async (code: number, msg: string) => failureOf({ body: envelope(code, msg) }, create);

  it('is true when Kie says the model is unknown, unsupported, paused or disabled', async () => {
    expect(isModelUnavailable(await upstream(422, 'Unsupported model'), MODEL)).toBe(true);
    expect(isModelUnavailable(await upstream(422, `model ${MODEL} not supported`), MODEL)).toBe(true);
    expect(isModelUnavailable(await upstream(500, `${MODEL} is currently paused`), MODEL)).toBe(true);
    expect(isModelUnavailable(await upstream(400, 'The model does not exist'), MODEL)).toBe(true);
  });

  it('is false for field errors that only mention the model, and for other failures', async () => {
    expect(isModelUnavailable(await upstream(422, 'image_urls is required'), MODEL)).toBe(false);
    expect(isModelUnavailable(await upstream(422, `${MODEL} does not support n_frames 25`), MODEL)).toBe(
      false,
    );
    expect(isModelUnavailable(await upstream(402, `No credits for ${MODEL}, model paused`), MODEL)).toBe(
      false,
    );
    expect(isModelUnavailable(await upstream(501, `${MODEL} generation failed`), MODEL)).toBe(false);
    expect(isModelUnavailable(new Error('model disabled'), MODEL)).toBe(false);
  });
});

describe('maskKey', () => {
  it('shows only the last 4 characters', () => {
    expect(maskKey('abcdefgh1234')).toBe('••••1234');
    expect(maskKey('  abcdefgh1234\n')).toBe('••••1234');
  });

  it('shows nothing of a key too short to mask', () => {
    expect(maskKey('abc')).toBe('••••');
  });
});
