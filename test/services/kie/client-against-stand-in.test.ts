import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import {
  isKieError,
  isModelUnavailable,
  KieClient,
  type KieClientOptions,
  KieError,
  type KieTask,
} from '../../../src/services/kie/index.js';
import { makePng } from '../../support/images.js';
import { type KieStandInOptions, startKieStandIn } from '../../support/kie/stand-in.js';

const KEY = 'kie-stand-in-key-7f3a9c21';
const MODEL = 'sora-2-image-to-video';
const RETRIES = 2;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: KieStandInOptions = {}, clientOptions: Partial<KieClientOptions> = {}) {
  const kie = await startKieStandIn({ keys: { [KEY]: 10_000 }, fetchImages: false, ...options });
  const client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 2000,
    logger: createLogger('silent'),
    retry: { retries: RETRIES, minTimeoutMs: 5, maxTimeoutMs: 20 },
    ...clientOptions,
  });
  cleanups.push(
    () => client.close(),
    () => kie.close(),
  );
  return { kie, client };
}

function soraInput(imageUrl = 'https://images.example/cat.png') {
  return {
    prompt: 'the cat waves',
    image_urls: [imageUrl],
    aspect_ratio: 'landscape',
    n_frames: '10',
    remove_watermark: true,
  };
}

async function pollUntilDone(client: KieClient, taskId: string): Promise<KieTask> {
  for (let i = 0; i < 100; i += 1) {
    const task = await client.getTask(KEY, taskId);
    if (task.state === 'success' || task.state === 'fail') return task;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${taskId} did not finish`);
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => {
      expect(e).toBeInstanceOf(KieError);
      expect((e as Error).message).not.toContain(KEY);
      return e as KieError;
    },
  );

describe('KieClient against the Kie stand-in', () => {
  it('uploads an image, creates a task, polls it to success and gets a fresh result link', async () => {
    const { kie, client } = await setup({ fetchImages: true, requireUserAgent: true });
    const { downloadUrl } = await client.uploadStream(KEY, {
      data: makePng(32, 32),
      fileName: `cat-${randomUUID()}.png`,
      contentType: 'image/png',
      uploadPath: 'animate',
    });
    const { taskId } = await client.createTask(KEY, { model: MODEL, input: soraInput(downloadUrl) });
    const task = await pollUntilDone(client, taskId);

    expect(task).toMatchObject({ taskId, model: MODEL, state: 'success', failMsg: null, failCode: null });
    expect(task.resultUrls).toHaveLength(1);
    const video = await fetch(task.resultUrls[0] ?? '');
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const fresh = await client.getDownloadUrl(KEY, task.resultUrls[0] ?? '');
    expect(fresh.startsWith(`${kie.url}/results/`)).toBe(true);
    expect(await client.getCredits(KEY)).toBe(10_000 - 30);
    const fromClient = kie.requests.filter((r) => r.route !== 'files' && r.route !== 'result');
    expect(fromClient.map((r) => r.headers['user-agent']?.split('/')[0])).toEqual(
      fromClient.map(() => 'animate-bot'),
    );
  });

  it('reads what Kie billed (creditsConsumed) once the task ends, null while it runs', async () => {
    const { kie, client } = await setup({ costPerTask: 45 });
    kie.scriptNext(
      { steps: [{ state: 'generating', ms: 100 }], outcome: { kind: 'success' } },
      { steps: [], outcome: { kind: 'success' }, creditsConsumed: '82.5' },
      { steps: [], outcome: { kind: 'success' }, creditsConsumed: 'absent' },
    );
    const first = await client.createTask(KEY, { model: MODEL, input: soraInput() });
    expect((await client.getTask(KEY, first.taskId)).creditsConsumed).toBeNull();
    expect((await pollUntilDone(client, first.taskId)).creditsConsumed).toBe(45);
    const second = await client.createTask(KEY, { model: MODEL, input: soraInput() });
    expect((await pollUntilDone(client, second.taskId)).creditsConsumed).toBe(82.5);
    const third = await client.createTask(KEY, { model: MODEL, input: soraInput() });
    expect((await pollUntilDone(client, third.taskId)).creditsConsumed).toBeNull();
  });

  it('lists the catalog a key gets, and throws for a key without one (404), once', async () => {
    const { kie, client } = await setup({ keys: { [KEY]: 10_000, other: 10 }, catalog: 'without-sora' });
    kie.setCatalog('absent', 'other');
    const catalog = await client.listModels(KEY);
    expect(catalog.total).toBe(catalog.models.length);
    const ids = catalog.models.map((entry) => entry.model);
    expect(ids).toContain('kling-2.6/image-to-video');
    expect(ids).not.toContain(MODEL);
    expect(catalog.models[0]?.taskTypes).toEqual(['Image to Video']);
    const missing = await failure(client.listModels('other'));
    expect(missing).toMatchObject({ code: 404, retryable: false });
    expect(kie.requests.filter((r) => r.route === 'models' && r.apiKey === 'other')).toHaveLength(1);
  });

  it('reads the catalog from a bare body, and never draws a 429 from its 1-per-second limit', async () => {
    const { kie, client } = await setup({ catalog: 'all', catalogEnvelope: false });
    const lists = await Promise.all([client.listModels(KEY), client.listModels(KEY), client.listModels(KEY)]);
    expect(lists.map((list) => list.models.some((entry) => entry.model === MODEL))).toEqual([
      true,
      true,
      true,
    ]);
    expect(kie.count('models')).toBe(3);
    const times = kie.requests.filter((r) => r.route === 'models').map((r) => r.at);
    for (let i = 1; i < times.length; i += 1) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1100);
    }
  });

  it('reports a failed task with its failCode and failMsg', async () => {
    const { kie, client } = await setup();
    kie.scriptNext({
      steps: [],
      outcome: { kind: 'fail', failCode: '400', failMsg: 'Image contains a real person' },
    });
    const { taskId } = await client.createTask(KEY, { model: MODEL, input: soraInput() });
    const task = await pollUntilDone(client, taskId);
    expect(task).toMatchObject({ state: 'fail', failCode: '400', failMsg: 'Image contains a real person' });
    expect(task.resultUrls).toEqual([]);
  });

  it('uploads from a URL and reads fileUrl when that is the only link', async () => {
    const { kie, client } = await setup({ uploadAnswerField: 'fileUrl' });
    const first = await client.uploadStream(KEY, {
      data: makePng(8, 8),
      fileName: 'a.png',
      contentType: 'image/png',
    });
    const second = await client.uploadFromUrl(KEY, {
      fileUrl: first.downloadUrl,
      fileName: `b-${randomUUID()}.png`,
    });
    expect(second.downloadUrl.startsWith(`${kie.url}/files/`)).toBe(true);
    expect(kie.files.size).toBe(2);
  });

  it('maps an unknown task, an unknown key and a code inside a 200 body', async () => {
    const { kie, client } = await setup({ errorsInBody: true });
    expect(await failure(client.getTask(KEY, 'task_nope'))).toMatchObject({
      name: 'KieError',
      kind: 'unknown-task',
    });
    const badKey = await failure(client.getCredits('some-other-key-1234'));
    expect(badKey).toMatchObject({ name: 'KieError', kind: 'invalid-key' });
    expect(badKey).toMatchObject({ code: 401, httpStatus: 200 });
    expect(kie.count('credit')).toBe(1);
  });

  it('turns a missing required field into a validation error naming it', async () => {
    const { client } = await setup();
    const { prompt: _omitted, ...input } = soraInput();
    const err = await failure(client.createTask(KEY, { model: MODEL, input }));
    expect(err).toMatchObject({ name: 'KieError', kind: 'validation' });
    expect(err.detail).toContain('prompt');
  });

  it('recognises a withdrawn model, by 505 or by message', async () => {
    const { kie, client } = await setup();
    kie.withdrawModel(MODEL);
    const err = await failure(client.createTask(KEY, { model: MODEL, input: soraInput() }));
    expect(err).toMatchObject({ name: 'KieError', kind: 'feature-disabled' });
    expect((err as KieError).model).toBe(MODEL);
    expect(isModelUnavailable(err, MODEL)).toBe(true);

    const unknown = await failure(client.createTask(KEY, { model: 'veo-9-nope', input: {} }));
    expect(unknown).toMatchObject({ name: 'KieError', kind: 'validation' });
    expect(isModelUnavailable(unknown, 'veo-9-nope')).toBe(true);
    expect(kie.count('createTask')).toBe(2);
  });

  it.each([
    [401, 'invalid-key', false],
    [402, 'insufficient-credits', false],
    [422, 'validation', false],
    [429, 'rate-limited', true],
    [433, 'sub-key-limited', false],
    [455, 'maintenance', true],
    [500, 'upstream', true],
    [501, 'generation-failed', false],
    [505, 'feature-disabled', false],
  ] as const)('maps code %i to its error kind, retrying only transient ones', async (code, kind, retried) => {
    const { kie, client } = await setup();
    kie.fault({ route: 'recordInfo', kind: 'status', code });
    const err = await failure(client.getTask(KEY, 'task_x'));
    expect(err).toMatchObject({ name: 'KieError', kind, code, retryable: retried });
    expect(kie.count('recordInfo')).toBe(retried ? 1 + RETRIES : 1);
  });

  it('recovers from a CDN error page and gives up on broken JSON after bounded retries', async () => {
    const { kie, client } = await setup();
    kie.fault({ route: 'credit', kind: 'html', httpStatus: 502, times: 1 });
    expect(await client.getCredits(KEY)).toBe(10_000);
    expect(kie.count('credit')).toBe(2);

    kie.fault({ route: 'recordInfo', kind: 'malformed' });
    expect(await failure(client.getTask(KEY, 'task_x'))).toMatchObject({
      name: 'KieError',
      kind: 'non-json',
    });
    expect(kie.count('recordInfo')).toBe(1 + RETRIES);
  });

  it('does not retry an answer of the wrong shape', async () => {
    const { kie, client } = await setup();
    kie.fault({ route: 'credit', kind: 'wrong-shape' });
    expect(await failure(client.getCredits(KEY))).toMatchObject({
      name: 'KieError',
      kind: 'unexpected-answer',
    });
    expect(kie.count('credit')).toBe(1);
  });

  it('does not repeat createTask on a timeout, which may still have created the task', async () => {
    const { kie, client } = await setup({}, { timeoutMs: 150 });
    kie.fault({ route: 'createTask', kind: 'slow', delayMs: 400, times: 1 });
    const err = await failure(client.createTask(KEY, { model: MODEL, input: soraInput() }));
    expect(err).toMatchObject({ name: 'KieError', kind: 'timeout' });
    expect(err.ambiguous).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(kie.count('createTask')).toBe(1);
    // Exactly the case the rule guards against: Kie went on and created (and charged) the task.
    expect(kie.tasks.size).toBe(1);
  });

  it('does not repeat createTask on a dropped connection', async () => {
    const { kie, client } = await setup();
    kie.fault({ route: 'createTask', kind: 'drop', times: 1 });
    const err = await failure(client.createTask(KEY, { model: MODEL, input: soraInput() }));
    expect(err).toMatchObject({ name: 'KieError', kind: 'network' });
    expect(err.ambiguous).toBe(true);
    expect(kie.count('createTask')).toBe(1);
  });

  it('repeats createTask after a 429 or 455, which Kie did not queue', async () => {
    const { kie, client } = await setup();
    kie.fault({ route: 'createTask', kind: 'status', code: 429, times: 1 });
    kie.fault({ route: 'createTask', kind: 'status', code: 455, times: 1 });
    const { taskId } = await client.createTask(KEY, { model: MODEL, input: soraInput() });
    expect(kie.tasks.has(taskId)).toBe(true);
    expect(kie.count('createTask')).toBe(3);
  });

  // Kie allows 20 createTask per 10 s per key. The same limiter logic is proven here at a fifth
  // of the window (20 per 2 s on both sides), so the 100-task burst takes ~11 s instead of ~55 s.
  // (At a tenth, a loaded CI machine bunched arrivals enough to draw a 429 once in three runs.)
  const scaledLimit = { max: 20, windowMs: 2000 };
  const scaledClientLimits = { createPerWindow: 20, createWindowMs: 2000, recordInfoPerSecond: 10 };

  it('sends a burst of 100 createTask on one key without a single 429', { timeout: 60_000 }, async () => {
    const { kie, client } = await setup(
      { createLimit: scaledLimit },
      { limits: scaledClientLimits, retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 } },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        client.createTask(KEY, { model: MODEL, input: soraInput(`https://i.example/${i}.png`) }),
      ),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toEqual([]);
    expect(kie.count('createTask')).toBe(100);
    expect(kie.tasks.size).toBe(100);
  });

  it('(control) the same burst without the client limiter draws 429s from the stand-in', async () => {
    const { client } = await setup(
      { createLimit: scaledLimit },
      {
        limits: { createPerWindow: 100_000, createWindowMs: 1000, recordInfoPerSecond: 10 },
        retry: { retries: 0, minTimeoutMs: 1, maxTimeoutMs: 1 },
      },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => client.createTask(KEY, { model: MODEL, input: soraInput() })),
    );
    const limited = results.filter((r) => r.status === 'rejected' && isKieError(r.reason, 'rate-limited'));
    expect(limited.length).toBeGreaterThan(0);
  });
});
