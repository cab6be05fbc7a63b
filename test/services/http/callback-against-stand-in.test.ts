import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { callbackUrl, newCallbackToken } from '../../../src/services/http/index.js';
import { KieClient, type KieTask } from '../../../src/services/kie/index.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';
import { startTestServer, type TestServer, until } from './harness.js';

const KEY = 'kie-stand-in-key-callbacks-1';
const HMAC_KEY = 'kie-webhook-hmac-key-4c1d';
const GUILD = '100000000000000002';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{
  kie: KieStandIn;
  client: KieClient;
  server: TestServer;
  reread: KieTask[];
}> {
  const kie = await startKieStandIn({
    keys: { [KEY]: 10_000 },
    fetchImages: false,
    // Tasks end when the test says so (kie.finish), after the job knows its task id.
    script: { steps: [{ state: 'generating', ms: 10 }], outcome: { kind: 'never' } },
    callbackRetryDelayMs: 20,
    callbackTimeoutMs: 2000,
  });
  const client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 2000,
    logger: createLogger('silent'),
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
  });
  const reread: KieTask[] = [];
  const server = await startTestServer({
    callbacks: {
      // As the lead wires it: the callback only wakes the job, which re-reads the task from Kie.
      onCallback: async ({ jobId }) => {
        const taskId = [...server.jobs.values()].find((job) => job.jobId === jobId)?.taskId;
        if (taskId) reread.push(await client.getTask(KEY, taskId));
      },
    },
  });
  cleanups.push(
    () => kie.close(),
    () => client.close(),
    () => server.close(),
  );
  return { kie, client, server, reread };
}

/** Records the job under a fresh token, submits its task with that token's callback URL, ends the task. */
async function submit(
  kie: KieStandIn,
  client: KieClient,
  server: TestServer,
  jobId: string,
  hmacKey?: string,
) {
  const token = newCallbackToken();
  server.jobs.set(token, { guildId: GUILD, jobId, taskId: null, ...(hmacKey ? { hmacKey } : {}) });
  const { taskId } = await client.createTask(KEY, {
    model: 'sora-2-image-to-video',
    input: {
      prompt: 'the cat waves',
      image_urls: ['https://images.example/cat.png'],
      aspect_ratio: 'landscape',
    },
    callBackUrl: callbackUrl(server.url, token),
  });
  server.jobs.set(token, { guildId: GUILD, jobId, taskId, ...(hmacKey ? { hmacKey } : {}) });
  kie.finish(taskId, { kind: 'success' });
  return taskId;
}

describe('Kie callbacks from the Kie stand-in', () => {
  it('accepts a callback Kie signed with the guild’s webhook key and wakes the job once', async () => {
    const { kie, client, server, reread } = await setup();
    kie.setWebhookHmacKey(KEY, HMAC_KEY);
    const taskId = await submit(kie, client, server, 'jobsigned01', HMAC_KEY);

    await until(() => reread.length === 1);
    expect(reread[0]).toMatchObject({ taskId, state: 'success' });
    const [callback] = kie.callbacks;
    expect(kie.callbacks).toHaveLength(1);
    expect(callback).toMatchObject({ taskId, status: 200, attempt: 1 });
    expect(callback?.signature).toBeTruthy();
  });

  it('refuses a callback signed with another key on each of Kie’s tries and wakes nothing', async () => {
    const { kie, client, server, reread } = await setup();
    kie.setWebhookHmacKey(KEY, 'an-old-rotated-key');
    const taskId = await submit(kie, client, server, 'jobforged01', HMAC_KEY);

    // A try our server left unanswered would show up below as 'error' (callbackTimeoutMs), not hang.
    await until(() => kie.callbacks.length === 3, 10_000);
    expect(kie.callbacks.map((c) => [c.taskId, c.status])).toEqual([
      [taskId, 401],
      [taskId, 401],
      [taskId, 401],
    ]);
    expect(reread).toEqual([]);
    const refusals = server.lines.filter((l) => l.msg === 'kie callback refused');
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatchObject({ outcome: 'bad_signature', why: 'mismatch', jobId: 'jobforged01' });
  });

  it('accepts Kie’s unsigned callback when neither side has a webhook key', async () => {
    const { kie, client, server, reread } = await setup();
    const taskId = await submit(kie, client, server, 'jobplain001');

    await until(() => reread.length === 1);
    expect(kie.callbacks).toMatchObject([{ taskId, status: 200 }]);
    expect(kie.callbacks[0]?.signature).toBeUndefined();
  });
});
