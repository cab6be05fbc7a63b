import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { parsePrometheusText, sampleValue } from '../services/http/prometheus-text.js';
import { freePort, seedWebhookHmacKey } from '../support/bot-process.js';
import type { RestLogEntry } from '../support/discord/stand-in.js';
import { type StandInTask, signCallback, type TaskScript } from '../support/kie/stand-in.js';
import { createWorld, KIE_KEY, type World } from './harness.js';
import { leaksNowhere, rawStoreText, statusFields, submitWebhookKey } from './setup-steps.js';

const HMAC_KEY = 'kie-webhook-hmac-e2e-5b9d1c';
const TOKEN_PATH = /\/kie\/callback\/([A-Za-z0-9_-]{43})$/;

/** ~4 s of generating, then success: the first poll (2.5 s after submission) sees it still generating. */
const FOUR_SECONDS: TaskScript = {
  steps: [
    { state: 'queuing', ms: 100 },
    { state: 'generating', ms: 4_000 },
  ],
  outcome: { kind: 'success' },
};

const isVideoEdit = (token: string) => (e: RestLogEntry) =>
  e.method === 'PATCH' &&
  e.route.startsWith('/webhooks/') &&
  e.route.includes(token) &&
  e.route.endsWith('/messages/@original') &&
  e.files.length > 0;

/**
 * A bot with Kie callbacks on: PUBLIC_URL points at HTTP_PORT, and /metrics (never served on the
 * public listener) at METRICS_PORT; `port` is the metrics port.
 */
async function worldWithCallbacks(script: TaskScript, botEnv: Record<string, string> = {}) {
  const callbackPort = await freePort();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${callbackPort}`;
  const world = await createWorld(
    'sqlite',
    { script, callbackRetryDelayMs: 100 },
    {
      botEnv: {
        HTTP_PORT: String(callbackPort),
        METRICS_PORT: String(port),
        PUBLIC_URL: publicUrl,
        ...botEnv,
      },
    },
  );
  return { world, port, publicUrl };
}

function onlyTask(world: World): StandInTask {
  const tasks = [...world.kie.tasks.values()];
  expect(tasks).toHaveLength(1);
  return tasks[0] as StandInTask;
}

/** The body sent with createTask, as the stand-in recorded it. */
function createTaskBody(world: World): Record<string, unknown> {
  const create = world.kie.requests.filter((r) => r.route === 'createTask');
  expect(create).toHaveLength(1);
  return create[0]?.body as Record<string, unknown>;
}

type Answer = { status: number; text: string };

/**
 * POSTs with node:http so an early answer (413 before the body is read) is still seen even when
 * the server closes the connection under the rest of the upload. `chunked` sends no Content-Length.
 */
function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
  chunked = false,
): Promise<Answer> {
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const chunks: Buffer[] = [];
    const done = () => {
      if (status !== undefined) resolve({ status, text: Buffer.concat(chunks).toString() });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': String(bytes.length) }),
          ...headers,
        },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      },
    );
    req.on('error', (error) => (status === undefined ? reject(error) : done()));
    if (chunked) {
      const half = Math.floor(bytes.length / 2);
      req.write(bytes.subarray(0, half));
      req.end(bytes.subarray(half));
    } else {
      req.end(bytes);
    }
  });
}

function signedHeaders(hmacKey: string, taskId: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'x-webhook-timestamp': timestamp,
    'x-webhook-signature': signCallback(hmacKey, taskId, timestamp),
  };
}

async function metricsOf(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

async function readJob(world: World, jobId: string) {
  const keyv = openKeyv(world.env.STORE_URL, { namespace: world.env.STORE_NAMESPACE });
  try {
    return await new JobStore(keyv, pino({ level: 'silent' })).get(world.guildId, jobId);
  } finally {
    await keyv.disconnect();
  }
}

async function until<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts one /animate job whose task never ends on its own and waits until its first poll (2.5 s
 * in) has seen it running: its next safety-net poll is then ≥ 12 s away, so any further
 * recordInfo read comes from a callback.
 */
async function runningJob(world: World, bot: Awaited<ReturnType<World['startBot']>>) {
  const interaction = world.animate();
  const submitted = await bot.waitForMessage('job submitted', 20_000);
  const jobId = String(submitted.jobId);
  const task = onlyTask(world);
  const url = task.callBackUrl ?? '';
  expect(url).toMatch(TOKEN_PATH);
  await until(async () => (await readJob(world, jobId))?.status === 'running', 10_000, 'the first poll');
  await sleep(200);
  expect(world.kie.count('recordInfo')).toBe(1);
  return { interaction, jobId, task, url, reads: 1 };
}

/**
 * Runs one /animate job whose task generates ~4 s, and checks it was finished by the callback:
 * the reply gets the video within 1 s of the task ending. Without the callback the job would wait
 * for its safety-net poll: first at 2.5 s after submission, next 12–18 s later (6× the 2–3 s pace).
 */
async function deliveredByCallback(world: World, publicUrl: string, label: string) {
  const interaction = world.animate();
  const video = await world.discord.waitForRest(isVideoEdit(interaction.token), 30_000);
  expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);

  const task = onlyTask(world);
  expect(task.callBackUrl).toMatch(TOKEN_PATH);
  expect(task.callBackUrl?.startsWith(`${publicUrl}/kie/callback/`)).toBe(true);
  expect(createTaskBody(world).callBackUrl).toBe(task.callBackUrl);

  const callbacks = world.kie.callbacks.filter((c) => c.taskId === task.taskId);
  expect(callbacks).toHaveLength(1);
  const callback = callbacks[0];
  expect(callback?.status).toBe(200);
  expect(callback?.attempt).toBe(1);

  const endedAt = task.completedAt ?? Number.NaN;
  const taskEndToVideo = video.at - endedAt;
  const callbackToVideo = video.at - (callback?.at ?? Number.NaN);
  console.log(
    `[callback e2e, ${label}] task ended → video PATCH: ${taskEndToVideo} ms; ` +
      `callback answered → video PATCH: ${callbackToVideo} ms`,
  );
  // Where the time went, relative to the task's end: Kie stand-in requests, then Discord requests.
  const timeline = [
    ...world.kie.requests.filter((r) => r.at >= endedAt).map((r) => `kie ${r.route} +${r.at - endedAt}`),
    ...world.discord.log.filter((e) => e.at >= endedAt).map((e) => `discord ${e.method} +${e.at - endedAt}`),
  ];
  console.log(`[callback e2e, ${label}] after the task's end (ms): ${timeline.join(', ')}`);
  expect(taskEndToVideo).toBeGreaterThanOrEqual(0);
  expect(taskEndToVideo).toBeLessThan(1_000);

  // Polling is the slowed safety net: one poll before the end (2.5 s in), one re-read after the callback.
  const reads = world.kie.requests.filter((r) => r.route === 'recordInfo');
  const before = reads.filter((r) => r.at < endedAt);
  const after = reads.filter((r) => r.at >= endedAt);
  expect(before).toHaveLength(1);
  expect(after).toHaveLength(1);
  expect(after[0]?.at).toBeGreaterThanOrEqual(callback?.at ?? Number.POSITIVE_INFINITY);
  return { task, callback };
}

describe('Kie callbacks end to end', () => {
  it('with PUBLIC_URL, sends a callBackUrl per job and delivers within 1 s of the task ending', async () => {
    const { world, publicUrl } = await worldWithCallbacks(FOUR_SECONDS);
    await world.startBot();
    const { callback } = await deliveredByCallback(world, publicUrl, 'no HMAC key');
    expect(callback?.signature).toBeUndefined();
    world.discord.assertNoViolations();
  });

  it('accepts a callback signed with the guild webhook HMAC key and delivers within 1 s', async () => {
    const { world, port, publicUrl } = await worldWithCallbacks(FOUR_SECONDS);
    await seedWebhookHmacKey(world.env, world.guildId, HMAC_KEY);
    world.kie.setWebhookHmacKey(KIE_KEY, HMAC_KEY);
    const bot = await world.startBot();
    const { callback } = await deliveredByCallback(world, publicUrl, 'signed with HMAC');
    expect(callback?.signature).toEqual(expect.any(String));
    expect(callback?.timestamp).toMatch(/^\d+$/);
    await bot.waitForMessage('kie callback accepted', 2_000);
    const families = await metricsOf(port);
    expect(sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome: 'accepted' })).toBe(
      1,
    );
    expect(
      sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome: 'bad_signature' }),
    ).toBeUndefined();
    world.discord.assertNoViolations();
  });

  it('ignores forged callbacks (bad HMAC, unknown token, 1 MB body): no re-read, job unchanged', async () => {
    const { world, port } = await worldWithCallbacks({
      steps: [{ state: 'generating', ms: 10 }],
      outcome: { kind: 'never' },
    });
    await seedWebhookHmacKey(world.env, world.guildId, HMAC_KEY);
    world.kie.setWebhookHmacKey(KIE_KEY, HMAC_KEY);
    const bot = await world.startBot();
    const { interaction, jobId, task, url, reads } = await runningJob(world, bot);
    const snapshot = await readJob(world, jobId);
    expect(snapshot).toMatchObject({ status: 'running', lastKieState: 'generating' });

    const body = JSON.stringify({
      code: 200,
      msg: 'Playground task completed successfully.',
      data: {
        taskId: task.taskId,
        state: 'success',
        resultJson: '{"resultUrls":["http://evil.example/x.mp4"]}',
      },
    });
    const unknownUrl = url.replace(TOKEN_PATH, `/kie/callback/${randomBytes(32).toString('base64url')}`);
    const oneMb = JSON.stringify({
      data: { taskId: task.taskId, state: 'success' },
      pad: 'x'.repeat(1024 * 1024),
    });

    expect((await post(url, body, signedHeaders('some-other-hmac-key', task.taskId))).status).toBe(401);
    expect((await post(url, body)).status).toBe(401);
    expect((await post(unknownUrl, body, signedHeaders(HMAC_KEY, task.taskId))).status).toBe(404);
    expect((await post(url, oneMb, signedHeaders(HMAC_KEY, task.taskId))).status).toBe(413);
    expect((await post(url, oneMb, signedHeaders(HMAC_KEY, task.taskId), true)).status).toBe(413);

    await sleep(2_000);
    expect(world.kie.count('recordInfo')).toBe(reads);
    expect(world.discord.log.filter((e) => e.files.length > 0)).toHaveLength(0);
    expect(await readJob(world, jobId)).toStrictEqual(snapshot);
    expect(task.state).toBe('generating');
    expect(bot.logs.filter((l) => l.msg === 'kie callback refused')).toHaveLength(5);
    expect(bot.logs.filter((l) => l.msg === 'kie callback accepted')).toHaveLength(0);
    const families = await metricsOf(port);
    const outcome = (name: string) =>
      sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome: name });
    expect([outcome('bad_signature'), outcome('unknown_token'), outcome('too_large')]).toStrictEqual([
      2, 1, 2,
    ]);
    expect(outcome('accepted')).toBeUndefined();

    // The job is unharmed: the real (signed) callback still finishes it at once.
    world.kie.finish(task.taskId, { kind: 'success' });
    const video = await world.discord.waitForRest(isVideoEdit(interaction.token), 10_000);
    const ms = video.at - (task.completedAt ?? Number.NaN);
    console.log(`[callback e2e, after forgeries] task ended → video PATCH: ${ms} ms`);
    expect(ms).toBeLessThan(1_000);
    expect(world.kie.callbacks.filter((c) => c.taskId === task.taskId).map((c) => c.status)).toStrictEqual([
      200,
    ]);
    world.discord.assertNoViolations();
  });

  it('a webhook key set through /animate-setup webhook-key: a badly signed callback gets 401 and wakes nothing, Kie’s signed one delivers', async () => {
    const { world } = await worldWithCallbacks({
      steps: [{ state: 'generating', ms: 10 }],
      outcome: { kind: 'never' },
    });
    world.kie.setWebhookHmacKey(KIE_KEY, HMAC_KEY);
    const bot = await world.startBot();
    const masked = `••••${HMAC_KEY.slice(-4)}`;
    expect(await submitWebhookKey(world, HMAC_KEY)).toMatch(
      new RegExp(
        `^Saved the webhook key ${masked}\\. From now on Kie’s callbacks for this server’s jobs count only when signed with it`,
      ),
    );
    expect((await statusFields(world))['Webhook key']).toBe(masked);

    const { interaction, task, url, reads } = await runningJob(world, bot);
    const body = JSON.stringify({ code: 200, data: { taskId: task.taskId, state: 'success' } });
    expect(
      (await post(url, body, signedHeaders('kie-webhook-hmac-of-someone-else', task.taskId))).status,
    ).toBe(401);
    expect((await post(url, body)).status).toBe(401);
    await sleep(1_500);
    expect(world.kie.count('recordInfo')).toBe(reads);
    expect(world.discord.log.filter((e) => e.files.length > 0)).toHaveLength(0);

    world.kie.finish(task.taskId, { kind: 'success' });
    const video = await world.discord.waitForRest(isVideoEdit(interaction.token), 10_000);
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    expect(video.at - (task.completedAt ?? Number.NaN)).toBeLessThan(1_000);
    const sent = world.kie.callbacks.filter((c) => c.taskId === task.taskId);
    expect(sent.map((c) => c.status)).toStrictEqual([200]);
    expect(sent[0]?.signature).toEqual(expect.any(String));

    expect(await rawStoreText(world)).not.toContain(HMAC_KEY);
    leaksNowhere(world, HMAC_KEY);
    world.discord.assertNoViolations();
  });

  it('50 callbacks for one job within a second: all answered 200, two recordInfo reads, and Kie’s real callback still delivers', async () => {
    const { world, port } = await worldWithCallbacks({
      steps: [{ state: 'generating', ms: 10 }],
      outcome: { kind: 'never' },
    });
    const bot = await world.startBot();
    const { interaction, task, url, reads } = await runningJob(world, bot);

    const body = JSON.stringify({ code: 200, data: { taskId: task.taskId, state: 'generating' } });
    const floodStart = Date.now();
    // Paced over about a second (a burst sent at once would be folded into one step by the tracker).
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await sleep(i * 20);
        return post(url, body);
      }),
    );
    const floodMs = Date.now() - floodStart;
    console.log(`[callback e2e, flood] 50 callbacks answered in ${floodMs} ms`);
    // About a second, more on a busy box: well inside the 10 s interval.
    expect(floodMs).toBeLessThan(5_000);
    expect(answers.map((a) => a.status)).toStrictEqual(Array(50).fill(200));
    await sleep(2_000);
    const afterFlood = world.kie.count('recordInfo') - reads;
    console.log(`[callback e2e, flood] recordInfo reads in the 2 s after the flood: ${afterFlood}`);
    expect(afterFlood).toBe(1);

    // Kie's genuine callback lands inside the throttle's interval: answered 200 and not lost, it
    // wakes the job at the interval's end (≤ 10 s), not at the 12–18 s safety-net poll.
    world.kie.finish(task.taskId, { kind: 'success' });
    const video = await world.discord.waitForRest(isVideoEdit(interaction.token), 15_000);
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    const sinceFlood = video.at - floodStart;
    console.log(`[callback e2e, flood] flood → video PATCH: ${sinceFlood} ms`);
    expect(sinceFlood).toBeLessThan(11_500);
    expect(world.kie.callbacks.filter((c) => c.taskId === task.taskId).map((c) => c.status)).toStrictEqual([
      200,
    ]);
    expect(world.kie.count('recordInfo') - reads).toBe(2);
    const families = await metricsOf(port);
    const outcome = (name: string) =>
      sampleValue(families, 'kie_callbacks_total', 'kie_callbacks_total', { outcome: name });
    expect([outcome('accepted'), outcome('throttled')]).toStrictEqual([1, 50]);
    world.discord.assertNoViolations();
  });

  it('without PUBLIC_URL but with HTTP_PORT: no callback route and no callBackUrl', async () => {
    const port = await freePort();
    const world = await createWorld('sqlite', {}, { botEnv: { HTTP_PORT: String(port) } });
    await world.startBot();
    const token = randomBytes(32).toString('base64url');
    expect((await post(`http://127.0.0.1:${port}/kie/callback/${token}`, '{}')).status).toBe(404);
    expect((await post(`http://127.0.0.1:${port}/kie/callback/anything`, '{}')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const interaction = world.animate();
    await world.discord.waitForRest(isVideoEdit(interaction.token), 20_000);
    expect(onlyTask(world).callBackUrl).toBeUndefined();
    expect(createTaskBody(world)).not.toHaveProperty('callBackUrl');
    expect(world.kie.callbacks).toHaveLength(0);
    world.discord.assertNoViolations();
  });

  it('without HTTP_PORT: nothing listens', async () => {
    const port = await freePort();
    const world = await createWorld('sqlite');
    const bot = await world.startBot();
    const interaction = world.animate();
    await world.discord.waitForRest(isVideoEdit(interaction.token), 20_000);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(bot.logs.some((l) => l.msg === 'http server listening')).toBe(false);
    expect(onlyTask(world).callBackUrl).toBeUndefined();
    world.discord.assertNoViolations();
  });
});
