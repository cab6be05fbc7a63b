import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplyEditor, type ReplyTarget } from '../../../src/services/discord/reply-editor.js';
import { type DeliverDeps, deliverJob } from '../../../src/services/jobs/deliver-job.js';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import type { KieClient } from '../../../src/services/kie/index.js';
import { MediaFetcher } from '../../../src/services/media/safe-fetch.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { JobMessages } from '../../../src/services/render/job-messages.js';
import { makePendingJob } from '../../support/jobs.js';
import { loadSampleVideo, padMp4 } from '../../support/kie/media.js';

interface DiscordRequest {
  method: string;
  path: string;
  body: Buffer;
  contentType: string;
}

type DiscordAnswer = { status: number; body: unknown };

const APP = '1400000000000000001';
const TOKEN = 'aW50ZXJhY3Rpb24tdG9rZW4';
const CHANNEL = '1100000000000000002';
const MESSAGE = '1400000000000000003';
const LIMIT = 10 * 1024 * 1024;
const ok: DiscordAnswer = { status: 200, body: { id: MESSAGE, channel_id: CHANNEL, content: '' } };
const tooLarge: DiscordAnswer = { status: 413, body: { message: 'Request entity too large', code: 40005 } };

/**
 * One delivery against a local server that serves the video (and Kie's fresh link) and answers
 * Discord's routes; the real ReplyEditor and @discordjs/rest in between.
 */
describe('deliverJob', () => {
  let server: Server;
  let base: string;
  let scratchDir: string;
  let video: Buffer;
  let videoStatus: number;
  let discord: DiscordRequest[];
  let answerDiscord: (req: DiscordRequest) => DiscordAnswer;
  let deps: DeliverDeps;

  beforeEach(async () => {
    scratchDir = await mkdtemp(path.join(tmpdir(), 'deliver-test-'));
    video = padMp4(await loadSampleVideo(), 3 * 1024 * 1024 + 5);
    videoStatus = 200;
    discord = [];
    answerDiscord = () => ok;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/video.mp4' || url.pathname === '/fresh.mp4') {
        const status = url.pathname === '/video.mp4' ? videoStatus : 200;
        if (status !== 200) return void res.writeHead(status).end();
        res.writeHead(200, { 'content-type': 'video/mp4' }).end(video);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          path: decodeURIComponent(url.pathname),
          body: Buffer.concat(chunks),
          contentType: req.headers['content-type'] ?? '',
        };
        discord.push(recorded);
        const { status, body } = answerDiscord(recorded);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const logger = pino({ level: 'silent' });
    const rest = new REST({ api: `${base}/api`, retries: 0, hashSweepInterval: 0, handlerSweepInterval: 0 });
    deps = {
      kie: { getDownloadUrl: async () => `${base}/fresh.mp4` } as unknown as KieClient,
      replies: new ReplyEditor(rest.setToken('bot-token'), logger),
      messages: new JobMessages(createModelRegistry()),
      logger,
      maxVideoBytes: 100 * 1024 * 1024,
      downloadTimeoutMs: 5_000,
      media: new MediaFetcher({ trustedOrigins: [base] }),
      progress: async () => undefined,
      scratchDir,
    };
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(scratchDir, { recursive: true, force: true });
  });

  function delivering(): JobOf<'delivering'> {
    return {
      ...makePendingJob({ attachmentSizeLimit: LIMIT, channelId: CHANNEL }),
      status: 'delivering',
      taskId: 'task-1',
      submittedAt: Date.now(),
      resultUrl: `${base}/video.mp4`,
      completedAt: null,
      deliveryStartedAt: Date.now(),
      deliveryAttempts: 0,
    };
  }

  const target = (): ReplyTarget => ({
    applicationId: APP,
    interactionToken: TOKEN,
    tokenExpiresAt: Date.now() + 10 * 60_000,
    channelId: CHANNEL,
    replyMessageId: MESSAGE,
  });

  async function form(req: DiscordRequest | undefined): Promise<FormData | undefined> {
    if (!req?.contentType.startsWith('multipart/')) return undefined;
    const init = { headers: { 'content-type': req.contentType } };
    return new Response(new Uint8Array(req.body), init).formData();
  }

  async function uploadedBytes(req: DiscordRequest | undefined): Promise<Buffer | undefined> {
    const file = (await form(req))?.get('files[0]');
    return file instanceof File ? Buffer.from(await file.arrayBuffer()) : undefined;
  }

  it("attaches the video's exact bytes to the reply and leaves no file behind", async () => {
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome.kind === 'sent' && [outcome.deliveredAs, outcome.deliveredVia]).toEqual([
      'attachment',
      'interaction',
    ]);
    expect(discord).toHaveLength(1);
    expect((await uploadedBytes(discord[0]))?.equals(video)).toBe(true);
    expect(JSON.parse(String((await form(discord[0]))?.get('payload_json'))).attachments).toEqual([
      { id: '0', filename: 'video.mp4' },
    ]);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it('delivers a link when Discord refuses the upload as too large (40005), leaving no file', async () => {
    answerDiscord = (req) => (req.contentType.startsWith('multipart/') ? tooLarge : ok);
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome.kind === 'sent' && outcome.deliveredAs).toBe('link');
    expect(discord.map((req) => req.contentType.split(';')[0])).toEqual([
      'multipart/form-data',
      'application/json',
    ]);
    expect(JSON.parse(discord[1]?.body.toString() ?? '').content).toContain(`${base}/video.mp4`);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it('posts the whole video as a new message when no edit route works, then removes the file', async () => {
    answerDiscord = (req) =>
      req.method === 'PATCH' ? { status: 404, body: { message: 'Unknown Message', code: 10008 } } : ok;
    const job = delivering();
    const outcome = await deliverJob(job, target(), 'kie-key', deps);
    expect(outcome.kind === 'sent' && outcome.deliveredVia).toBe('channel-message');
    expect(discord.map((req) => req.method)).toEqual(['PATCH', 'PATCH', 'POST']);
    for (const req of discord) expect((await uploadedBytes(req))?.equals(video)).toBe(true);
    const posted = JSON.parse(String((await form(discord[2]))?.get('payload_json')));
    // The job's own id as nonce: a post repeated after a crash lands once.
    expect([posted.enforce_nonce, posted.nonce]).toEqual([true, outcome.kind === 'sent' && job.id]);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it("delivers a link when a new message cannot carry the file (40005: no Nitro limit on the bot's own post)", async () => {
    answerDiscord = (req) => {
      if (req.method === 'PATCH') return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      return req.contentType.startsWith('multipart/') ? tooLarge : ok;
    };
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome).toEqual({
      kind: 'sent',
      deliveredAs: 'link',
      deliveredVia: 'channel-message',
      attachmentId: null,
    });
    const last = discord.at(-1);
    expect([last?.method, last?.contentType.split(';')[0]]).toEqual(['POST', 'application/json']);
    expect(JSON.parse(last?.body.toString() ?? '').content).toContain(`${base}/video.mp4`);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it('removes the file when every route refuses and the delivery is to be retried', async () => {
    answerDiscord = () => ({ status: 403, body: { message: 'Missing Access', code: 50001 } });
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome).toEqual({ kind: 'retry', reason: 'Discord error 50001', cause: 'discord' });
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it("fetches Kie's fresh link when the result link is refused, and attaches that video", async () => {
    videoStatus = 403;
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome.kind).toBe('sent');
    expect((await uploadedBytes(discord[0]))?.equals(video)).toBe(true);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it('links a video over the limit without uploading anything', async () => {
    video = padMp4(await loadSampleVideo(), LIMIT + 1);
    const outcome = await deliverJob(delivering(), target(), 'kie-key', deps);
    expect(outcome.kind === 'sent' && outcome.deliveredAs).toBe('link');
    expect(discord.map((req) => req.contentType.split(';')[0])).toEqual(['application/json']);
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it('creates a missing scratch directory', async () => {
    deps = { ...deps, scratchDir: path.join(scratchDir, 'data', 'scratch') };
    expect((await deliverJob(delivering(), target(), 'kie-key', deps)).kind).toBe('sent');
    expect(await readdir(path.join(scratchDir, 'data', 'scratch'))).toEqual([]);
  });
});
