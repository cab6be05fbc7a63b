import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackUrl, newCallbackToken } from '../../../src/services/http/index.js';
import { signCallback } from '../../support/kie/stand-in.js';
import { sleep, startTestServer, type TestServer, until } from './harness.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const GUILD = '100000000000000001';
const JOB = 'job00000001';
const TASK = 'task_sora-2-image-to-video_17000000000001';
const HMAC_KEY = 'whk_3f9a0c7e21';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const kieBody = (taskId = TASK) =>
  JSON.stringify({
    code: 200,
    msg: 'Playground task completed successfully.',
    data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://evil.example/x.mp4"]}' },
  });

function signedHeaders(key: string, taskId: string, at = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  return {
    'content-type': 'application/json',
    'x-webhook-timestamp': timestamp,
    'x-webhook-signature': signCallback(key, taskId, timestamp),
  };
}

async function setup(job: { taskId?: string | null; hmacKey?: string } = {}) {
  server = await startTestServer();
  const token = newCallbackToken();
  server.jobs.set(token, { guildId: GUILD, jobId: JOB, taskId: TASK, ...job });
  return { server, token, url: callbackUrl(server.url, token) };
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('callback tokens', () => {
  it('makes 43-character base64url tokens that do not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newCallbackToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('builds the callback URL under PUBLIC_URL, with or without a trailing slash', () => {
    expect(callbackUrl('https://bot.example/', 'abc')).toBe('https://bot.example/kie/callback/abc');
    expect(callbackUrl('https://bot.example/base', 'abc')).toBe('https://bot.example/base/kie/callback/abc');
  });
});

describe('POST /kie/callback/:token', () => {
  it('wakes the right job once for a validly signed callback', async () => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY });
    const res = await post(url, kieBody(), signedHeaders(HMAC_KEY, TASK));
    expect(res.status).toBe(200);
    await until(() => server.woken.length > 0);
    await sleep(30);
    expect(server.woken).toEqual([{ guildId: GUILD, jobId: JOB }]);
  });

  it('accepts an unsigned callback when the guild set no webhook HMAC key', async () => {
    const { server, url } = await setup();
    const res = await post(url, kieBody());
    expect(res.status).toBe(200);
    await until(() => server.woken.length === 1);
  });

  it.each([
    ['a wrong key', () => signedHeaders('another-key', TASK)],
    ['no signature headers', () => ({})],
    ['a timestamp six minutes old', () => signedHeaders(HMAC_KEY, TASK, Date.now() - 6 * 60_000)],
    ['a timestamp six minutes ahead', () => signedHeaders(HMAC_KEY, TASK, Date.now() + 6 * 60_000)],
    [
      'a signature that is not base64 of a digest',
      () => ({ ...signedHeaders(HMAC_KEY, TASK), 'x-webhook-signature': 'bm9wZQ==' }),
    ],
  ])('refuses with 401 and wakes nothing on %s', async (_, headers) => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY });
    const res = await post(url, kieBody(), headers());
    expect(res.status).toBe(401);
    await sleep(30);
    expect(server.woken).toEqual([]);
    expect(server.lines.some((l) => l.msg === 'kie callback refused' && l.outcome === 'bad_signature')).toBe(
      true,
    );
  });

  it('checks the signature against the job’s own task id, not the one in the body', async () => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY });
    const forged = 'task_someone-elses';
    const res = await post(url, kieBody(forged), signedHeaders(HMAC_KEY, forged));
    expect(res.status).toBe(401);
    await sleep(30);
    expect(server.woken).toEqual([]);
  });

  it('falls back to the body’s task id while the job has none recorded yet', async () => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY, taskId: null });
    const res = await post(url, kieBody(), signedHeaders(HMAC_KEY, TASK));
    expect(res.status).toBe(200);
    await until(() => server.woken.length === 1);
  });

  it('answers an unknown token with 404 and wakes nothing', async () => {
    const { server } = await setup();
    for (const token of [newCallbackToken(), 'short', `${'a'.repeat(42)}.`, `${newCallbackToken()}/x`]) {
      const res = await post(`${server.url}/kie/callback/${token}`, kieBody());
      expect(res.status).toBe(404);
    }
    await sleep(30);
    expect(server.woken).toEqual([]);
  });

  it('answers a 1 MB body with 413 before looking the token up, and wakes nothing', async () => {
    const { server, url } = await setup();
    const looked: string[] = [];
    const original = server.jobs.get.bind(server.jobs);
    server.jobs.get = (token) => {
      looked.push(token);
      return original(token);
    };
    const res = await post(url, Buffer.alloc(1024 * 1024, 0x20));
    expect(res.status).toBe(413);
    await sleep(30);
    expect(server.woken).toEqual([]);
    expect(looked).toEqual([]);
  });

  it('answers a chunked body that grows past 64 KB with 413 and wakes nothing', async () => {
    const { server, url } = await setup();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i += 1) req.write(Buffer.alloc(8 * 1024, 0x20));
      req.end();
    });
    expect(status).toBe(413);
    await sleep(30);
    expect(server.woken).toEqual([]);
  });

  it('tolerates a body that is not JSON at all', async () => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY });
    const res = await post(url, '\u0000<html>not json', signedHeaders(HMAC_KEY, TASK));
    expect(res.status).toBe(200);
    await until(() => server.woken.length === 1);
  });

  it('answers 405 to anything but POST', async () => {
    const { server, url } = await setup();
    const res = await fetch(url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(server.woken).toEqual([]);
  });

  it('answers 200 within 50 ms while waking the job is still running, and survives it throwing', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let wakeFinished = false;
    server = await startTestServer({
      callbacks: {
        onCallback: async () => {
          await gate;
          wakeFinished = true;
          throw new Error('tracker exploded');
        },
      },
    });
    const token = newCallbackToken();
    server.jobs.set(token, { guildId: GUILD, jobId: JOB, taskId: TASK });
    await fetch(`${server.url}/healthz`);
    const started = performance.now();
    const res = await post(callbackUrl(server.url, token), kieBody());
    const clientMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(wakeFinished).toBe(false);
    // The server's own measure (request in → answer sent); the client's adds scheduling on a busy CI box.
    const accepted = server.lines.find((l) => l.msg === 'kie callback accepted');
    expect(accepted?.ms).toBeLessThan(50);
    expect(clientMs).toBeLessThan(500);
    release();
    const lines = server.lines;
    await until(() => lines.some((l) => l.msg === 'kie callback: waking job failed'));
    expect(wakeFinished).toBe(true);
  });

  it('answers a flood of 50 valid callbacks for one job with 200 each but wakes it once now and once after the interval', async () => {
    const flooded = await startTestServer({ callbacks: { wakeIntervalMs: 1_000 } });
    server = flooded;
    const token = newCallbackToken();
    flooded.jobs.set(token, { guildId: GUILD, jobId: JOB, taskId: TASK, hmacKey: HMAC_KEY });
    const url = callbackUrl(flooded.url, token);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(url, kieBody(), signedHeaders(HMAC_KEY, TASK))),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200));
    await sleep(200);
    expect(flooded.woken).toEqual([{ guildId: GUILD, jobId: JOB }]);
    await until(() => flooded.woken.length === 2, 3_000);
    await sleep(1_200);
    expect(flooded.woken).toHaveLength(2);
    const families = parsePrometheusText((await flooded.metrics.render()).body);
    const count = (outcome: string) =>
      sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome });
    expect([count('accepted'), count('throttled')]).toEqual([1, 49]);
    expect(flooded.lines.filter((l) => l.msg === 'kie callback accepted')).toHaveLength(1);
  });

  it('answers 503 when the token lookup fails, so Kie tries again', async () => {
    server = await startTestServer();
    server.jobs.get = () => {
      throw new Error('store down');
    };
    const res = await post(callbackUrl(server.url, newCallbackToken()), kieBody());
    expect(res.status).toBe(503);
    expect(server.woken).toEqual([]);
  });

  it('counts callbacks by outcome in /metrics', async () => {
    const { server, url } = await setup({ hmacKey: HMAC_KEY });
    await post(url, kieBody(), signedHeaders(HMAC_KEY, TASK));
    await post(url, kieBody(), signedHeaders('wrong', TASK));
    await post(url, kieBody(), signedHeaders('wrong', TASK));
    await post(`${server.url}/kie/callback/${newCallbackToken()}`, kieBody());
    await post(url, Buffer.alloc(70 * 1024));
    const families = parsePrometheusText((await server.metrics.render()).body);
    const count = (outcome: string) =>
      sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome });
    expect([count('accepted'), count('bad_signature'), count('unknown_token'), count('too_large')]).toEqual([
      1, 2, 1, 1,
    ]);
  });
});
