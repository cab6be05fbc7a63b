import { afterEach, describe, expect, it } from 'vitest';
import { type KieClient, KieError } from '../../../src/services/kie/index.js';
import {
  type CannedHandler,
  captureLogger,
  envelope,
  refusedUrl,
  startCannedServer,
  TEST_KEY,
  testClient,
} from './canned-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const RETRIES = 2;

async function serve(handler: CannedHandler, timeoutMs = 2000) {
  const server = await startCannedServer(handler);
  const client = testClient(server.url, { timeoutMs });
  cleanups.push(() => client.close(), server.close);
  return { server, client };
}

const create = (client: KieClient) => client.createTask(TEST_KEY, { model: 'm', input: { prompt: 'p' } });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as KieError,
  );

describe('retries', () => {
  it.each([429, 455, 500, 502])('retries a read on code %i, then gives up after the bound', async (code) => {
    const { server, client } = await serve(() => ({ body: envelope(code, 'nope') }));
    const err = await failure(client.getCredits(TEST_KEY));
    expect(err).toBeInstanceOf(KieError);
    expect(server.requests).toHaveLength(1 + RETRIES);
  });

  it('recovers when a retry succeeds', async () => {
    const { server, client } = await serve((_req, i) =>
      i === 0
        ? { status: 502, contentType: 'text/html', body: '<html>Bad gateway</html>' }
        : { body: envelope(200, 'success', 7) },
    );
    expect(await client.getCredits(TEST_KEY)).toBe(7);
    expect(server.requests).toHaveLength(2);
  });

  it.each([401, 402, 422, 501, 505])('never retries code %i', async (code) => {
    const { server, client } = await serve(() => ({ body: envelope(code, 'no') }));
    await failure(create(client));
    await failure(client.getTask(TEST_KEY, 't'));
    expect(server.requests).toHaveLength(2);
  });

  it('never retries an answer of the wrong shape', async () => {
    const { server, client } = await serve(() => ({ body: { hello: 'world' } }));
    await failure(client.getCredits(TEST_KEY));
    expect(server.requests).toHaveLength(1);
  });

  it('logs one warn line per failed attempt and a debug line on success, without the key', async () => {
    const server = await startCannedServer((_req, i) =>
      i === 0 ? { body: envelope(500, `oops ${TEST_KEY}`) } : { body: envelope(200, 'success', 3) },
    );
    const { logger, lines } = captureLogger();
    const client = testClient(server.url, { logger });
    cleanups.push(() => client.close(), server.close);
    await client.getCredits(TEST_KEY);
    const logged = lines().filter((l) => l.component === 'kie-client');
    expect(logged.map((l) => [l.level, l.route, l.attempt])).toEqual([
      [40, 'credit', 1],
      [20, 'credit', 2],
    ]);
    expect(logged[0]).toMatchObject({ code: 500, kind: 'upstream', retrying: true });
    expect(typeof logged[0]?.latencyMs).toBe('number');
    const text = JSON.stringify(lines());
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain('Bearer');
    expect(text).not.toContain(server.url);
  });
});

describe('timeouts and network failures', () => {
  it('times out a slow answer, and retries it on a read', async () => {
    const { server, client } = await serve(() => ({ delayMs: 1000, body: envelope(200, 'ok', 1) }), 100);
    const err = await failure(client.getCredits(TEST_KEY));
    expect(err).toMatchObject({ name: 'KieError', kind: 'timeout' });
    expect(err).toMatchObject({ retryable: true, ambiguous: false });
    expect(server.requests).toHaveLength(1 + RETRIES);
  });

  it('counts the body read in the timeout', async () => {
    const { client } = await serve(() => ({ bodyDelayMs: 1000, body: envelope(200, 'ok', 1) }), 150);
    const started = performance.now();
    await expect(client.getCredits(TEST_KEY)).rejects.toMatchObject({ name: 'KieError', kind: 'timeout' });
    expect(performance.now() - started).toBeLessThan(900 * (1 + RETRIES));
  });

  it('retries a refused connection and says the request was never sent', async () => {
    const client = testClient(await refusedUrl());
    cleanups.push(() => client.close());
    const err = await failure(client.getCredits(TEST_KEY));
    expect(err).toMatchObject({ name: 'KieError', kind: 'network' });
    expect(err).toMatchObject({ requestSent: false, retryable: true });
  });

  it('maps a reset connection to a network error', async () => {
    const { server, client } = await serve(() => ({ destroy: true }));
    const err = await failure(client.getCredits(TEST_KEY));
    expect(err).toMatchObject({ name: 'KieError', kind: 'network' });
    expect(err).toMatchObject({ requestSent: true, retryable: true });
    expect(server.requests).toHaveLength(1 + RETRIES);
  });
});

describe('createTask never risks a second paid task', () => {
  it('is not retried on a timeout, and says the task may exist', async () => {
    const { server, client } = await serve(
      () => ({ delayMs: 500, body: envelope(200, 'ok', { taskId: 't' }) }),
      100,
    );
    const err = await failure(create(client));
    expect(err).toMatchObject({ name: 'KieError', kind: 'timeout' });
    expect(err).toMatchObject({ ambiguous: true, retryable: false });
    expect(err.message).toContain('may have been created');
    expect(server.requests).toHaveLength(1);
  });

  it('is not retried on a reset connection', async () => {
    const { server, client } = await serve(() => ({ destroy: true }));
    const err = await failure(create(client));
    expect(err).toMatchObject({ name: 'KieError', kind: 'network' });
    expect(err).toMatchObject({ ambiguous: true, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('is not retried on a CDN error page', async () => {
    const { server, client } = await serve(() => ({
      status: 504,
      contentType: 'text/html',
      body: '<h1>504</h1>',
    }));
    const err = await failure(create(client));
    expect(err).toMatchObject({ name: 'KieError', kind: 'non-json' });
    expect(err).toMatchObject({ ambiguous: true, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("is not retried on Kie's own 500", async () => {
    const { server, client } = await serve(() => ({ body: envelope(500, 'Server error') }));
    const err = await failure(create(client));
    expect(err).toMatchObject({ name: 'KieError', kind: 'upstream' });
    expect(err).toMatchObject({ ambiguous: false, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['429', { body: envelope(429, 'rate limited') }],
    ['455', { body: envelope(455, 'maintenance') }],
    ['a CDN 429 page', { status: 429, contentType: 'text/html', body: '<h1>Too many</h1>' }],
  ])('is retried on %s (Kie rejected it)', async (_label, answer) => {
    const { server, client } = await serve((_req, i) =>
      i < 2 ? answer : { body: envelope(200, 'success', { taskId: 'task_ok' }) },
    );
    expect(await create(client)).toEqual({ taskId: 'task_ok' });
    expect(server.requests).toHaveLength(3);
  });

  it('is retried on a refused connection (never sent)', async () => {
    const client = testClient(await refusedUrl());
    cleanups.push(() => client.close());
    const err = await failure(create(client));
    expect(err).toMatchObject({ name: 'KieError', kind: 'network' });
    expect(err).toMatchObject({ requestSent: false, ambiguous: false, retryable: true });
  });
});
