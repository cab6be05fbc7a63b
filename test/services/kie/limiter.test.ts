import { afterEach, describe, expect, it } from 'vitest';
import { KieLimiters, keyId, spacingMs } from '../../../src/services/kie/index.js';
import { busiestWindow } from '../../support/windows.js';
import { envelope, startCannedServer, TEST_KEY, testClient } from './canned-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('per-key limiter', () => {
  it('spaces requests so that no window, wherever it starts, holds more than the limit', () => {
    expect(spacingMs(20, 10_000)).toBe(525);
    expect(spacingMs(10, 1000)).toBe(125);
    // 21 requests spaced 525 ms apart span 10.5 s: a 10 s window can never hold them.
    expect(20 * spacingMs(20, 10_000)).toBeGreaterThan(10_000);
  });

  it('keeps a burst of createTask within the window at the server', async () => {
    const server = await startCannedServer(() => ({ body: envelope(200, 'success', { taskId: 't' }) }));
    const client = testClient(server.url, {
      limits: { createPerWindow: 10, createWindowMs: 300, recordInfoPerSecond: 100 },
    });
    cleanups.push(() => client.close(), server.close);
    await Promise.all(
      Array.from({ length: 30 }, () => client.createTask(TEST_KEY, { model: 'm', input: {} })),
    );
    expect(
      busiestWindow(
        server.requests.map((r) => r.at),
        300,
      ),
    ).toBeLessThanOrEqual(10);
  });

  it('gives each key its own budget', async () => {
    const server = await startCannedServer(() => ({ body: envelope(200, 'success', 1) }));
    const client = testClient(server.url, {
      limits: { createPerWindow: 20, createWindowMs: 1000, recordInfoPerSecond: 5 },
    });
    cleanups.push(() => client.close(), server.close);
    const keys = ['key-aaaaaaaa', 'key-bbbbbbbb', 'key-cccccccc'];
    const started = performance.now();
    await Promise.all(keys.flatMap((k) => [client.getCredits(k), client.getCredits(k)]));
    const elapsed = performance.now() - started;
    // 5 per s is 250 ms between two calls of one key; one shared budget would need 5 × 250 ms.
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(700);
  });

  it('names limiters by a hash of the key, never the key', async () => {
    const limiters = new KieLimiters({
      limits: { createPerWindow: 20, createWindowMs: 10_000, recordInfoPerSecond: 10 },
    });
    cleanups.push(() => limiters.close());
    await limiters.schedule('create', TEST_KEY, async () => 1);
    expect(limiters.activeKeys('create')).toEqual([keyId(TEST_KEY)]);
    expect(keyId(TEST_KEY)).not.toContain(TEST_KEY.slice(0, 8));
  });

  it('drops the limiters of idle keys', async () => {
    const limiters = new KieLimiters({
      limits: { createPerWindow: 20, createWindowMs: 1000, recordInfoPerSecond: 10 },
      idleMs: 100,
    });
    cleanups.push(() => limiters.close());
    await limiters.schedule('poll', TEST_KEY, async () => 1);
    expect(limiters.activeKeys('poll')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(limiters.activeKeys('poll')).toHaveLength(0);
  });

  it('close() rejects the calls still waiting for their turn; the running one finishes', async () => {
    const limiters = new KieLimiters({
      limits: { createPerWindow: 1, createWindowMs: 60_000, recordInfoPerSecond: 10 },
    });
    const ran: number[] = [];
    const calls = [1, 2, 3].map((n) =>
      limiters.schedule('create', TEST_KEY, async () => {
        ran.push(n);
        return n;
      }),
    );
    await expect(calls[0]).resolves.toBe(1);
    await limiters.close();
    await expect(calls[1]).rejects.toThrow(/closed/);
    await expect(calls[2]).rejects.toThrow(/closed/);
    expect(ran).toEqual([1]);
  });

  it('rejects calls after close', async () => {
    const server = await startCannedServer(() => ({ body: envelope(200, 'success', 1) }));
    const client = testClient(server.url);
    cleanups.push(server.close);
    await client.close();
    await expect(client.getCredits(TEST_KEY)).rejects.toThrow(/closed/);
  });
});
