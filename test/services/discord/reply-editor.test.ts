import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AttachmentFile,
  ReplyEditor,
  type ReplyTarget,
} from '../../../src/services/discord/reply-editor.js';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Answer {
  status: number;
  body?: unknown;
}

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const APP = '1400000000000000001';
const TOKEN = 'aW50ZXJhY3Rpb24tdG9rZW4';
const CHANNEL = '1400000000000000002';
const MESSAGE = '1400000000000000003';

const message = (extra: Record<string, unknown> = {}) => ({
  id: MESSAGE,
  channel_id: CHANNEL,
  type: 0,
  content: 'ok',
  attachments: [],
  embeds: [],
  ...extra,
});

const webhookPath = `/api/v10/webhooks/${APP}/${TOKEN}/messages/@original`;
const channelEditPath = `/api/v10/channels/${CHANNEL}/messages/${MESSAGE}`;

describe('ReplyEditor', () => {
  let server: Server;
  let requests: Recorded[];
  let answer: (req: Recorded) => Answer;
  let rest: REST;
  let editor: ReplyEditor;
  let dir: string;

  /** Writes `bytes` to a file of this test's own and describes it as an attachment. */
  async function fileOf(name: string, bytes: Buffer, contentType = 'video/mp4'): Promise<AttachmentFile> {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return { name, path: file, contentType };
  }

  async function uploaded(
    req: Recorded | undefined,
    field: string,
  ): Promise<{ name: string; bytes: Buffer }> {
    const part = (await multipartOf(req as Recorded)).get(field) as File;
    return { name: part.name, bytes: Buffer.from(await part.arrayBuffer()) };
  }

  function target(overrides: Partial<ReplyTarget> = {}): ReplyTarget {
    return {
      applicationId: APP,
      interactionToken: TOKEN,
      tokenExpiresAt: NOW + 10 * 60_000,
      channelId: CHANNEL,
      replyMessageId: MESSAGE,
      ...overrides,
    };
  }

  async function multipartOf(req: Recorded): Promise<FormData> {
    const contentType = req.headers['content-type'] ?? '';
    return new Response(new Uint8Array(req.body), { headers: { 'content-type': contentType } }).formData();
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'reply-editor-test-'));
    requests = [];
    answer = () => ({ status: 200, body: message() });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: Recorded = {
          method: req.method ?? '',
          path: decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname),
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        requests.push(recorded);
        const { status, body } = answer(recorded);
        if (status === 204) {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    rest = new REST({
      api: `http://127.0.0.1:${port}/api`,
      retries: 0,
      hashSweepInterval: 0,
      handlerSweepInterval: 0,
    }).setToken('t');
    editor = new ReplyEditor(rest, pino({ level: 'silent' }), () => NOW);
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('edits through the interaction webhook, without the bot token, while the token is valid', async () => {
    const route = await editor.edit(target(), { content: 'Generating' });
    expect(route).toBe('interaction');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.method).toBe('PATCH');
    expect(req?.path).toBe(webhookPath);
    expect(req?.headers.authorization).toBeUndefined();
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({ content: 'Generating' });
  });

  it('still uses the webhook just over 60 s before expiry', async () => {
    expect(await editor.edit(target({ tokenExpiresAt: NOW + 60_001 }), { content: 'x' })).toBe('interaction');
    expect(requests.map((req) => req.path)).toEqual([webhookPath]);
  });

  it.each([
    ['exactly 60 s before expiry', NOW + 60_000],
    ['30 s before expiry', NOW + 30_000],
    ['after expiry', NOW - 1],
    ['long after expiry', NOW - 60 * 60_000],
  ])('edits through the channel with the bot token %s', async (_, tokenExpiresAt) => {
    const route = await editor.edit(target({ tokenExpiresAt }), { content: 'Done' });
    expect(route).toBe('channel-edit');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.method).toBe('PATCH');
    expect(req?.path).toBe(channelEditPath);
    expect(req?.headers.authorization).toBe('Bot t');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({ content: 'Done' });
  });

  it('refuses the channel route without a reply message id, sending nothing', async () => {
    await expect(
      editor.edit(target({ tokenExpiresAt: NOW - 1, replyMessageId: null }), { content: 'x' }),
    ).rejects.toThrow(/message id/);
    expect(requests).toEqual([]);
  });

  it('falls back to the channel route when the webhook answers 401 Invalid Webhook Token', async () => {
    answer = (req) =>
      req.path.startsWith('/api/v10/webhooks/')
        ? { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } }
        : { status: 200, body: message() };
    const route = await editor.edit(target(), { content: 'Done' });
    expect(route).toBe('channel-edit');
    expect(requests.map((req) => [req.path, req.headers.authorization])).toEqual([
      [webhookPath, undefined],
      [channelEditPath, 'Bot t'],
    ]);
  });

  it('throws a webhook 403 Missing Access without trying the channel', async () => {
    answer = () => ({ status: 403, body: { message: 'Missing Access', code: 50001 } });
    const error = await editor.edit(target(), { content: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50001);
    expect((error as DiscordAPIError).status).toBe(403);
    expect(requests.map((req) => req.path)).toEqual([webhookPath]);
  });

  it('keeps the interaction token out of a webhook error, which callers log', async () => {
    answer = () => ({ status: 403, body: { message: 'Missing Access', code: 50001 } });
    const error = await editor.edit(target(), { content: 'x' }).catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(50001);
    expect((error as DiscordAPIError).url).toContain('/webhooks/');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });

  it('throws the channel error when both routes fail', async () => {
    answer = (req) =>
      req.path.startsWith('/api/v10/webhooks/')
        ? { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } }
        : { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    const error = await editor.edit(target(), { content: 'x' }).catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(10008);
    expect(requests).toHaveLength(2);
  });

  it('sends files as multipart with attachment ids "0", "1"… matching files[n]', async () => {
    const video = Buffer.from('000000186674797069736f6d', 'hex');
    const poster = Buffer.from('poster bytes');
    await editor.edit(target(), { content: 'Ready', embeds: [] }, [
      await fileOf('video.mp4', video),
      await fileOf('poster.png', poster, 'image/png'),
    ]);
    const [req] = requests;
    expect(req?.path).toBe(webhookPath);
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await multipartOf(req as Recorded);
    const payload = JSON.parse(String(form.get('payload_json')));
    expect(payload).toEqual({
      content: 'Ready',
      embeds: [],
      attachments: [
        { id: '0', filename: 'video.mp4' },
        { id: '1', filename: 'poster.png' },
      ],
    });
    expect([...form.keys()].sort()).toEqual(['files[0]', 'files[1]', 'payload_json']);
    const first = form.get('files[0]') as File;
    const second = form.get('files[1]') as File;
    expect([first.name, first.type]).toEqual(['video.mp4', 'video/mp4']);
    expect(Buffer.from(await first.arrayBuffer()).equals(video)).toBe(true);
    expect([second.name, second.type]).toEqual(['poster.png', 'image/png']);
    expect(Buffer.from(await second.arrayBuffer()).equals(poster)).toBe(true);
  });

  it("uploads a several-megabyte video byte for byte, with the body's length announced", async () => {
    const video = randomBytes(6 * 1024 * 1024 + 13);
    await editor.edit(target(), { content: 'Ready' }, [await fileOf('video.mp4', video)]);
    const [req] = requests;
    expect(Number(req?.headers['content-length'])).toBe(req?.body.length);
    const file = await uploaded(req, 'files[0]');
    expect(file.name).toBe('video.mp4');
    expect(file.bytes.equals(video)).toBe(true);
  });

  it('sends the same multipart body on the channel route', async () => {
    const video = randomBytes(64 * 1024);
    await editor.edit(target({ tokenExpiresAt: NOW }), { content: 'Ready' }, [
      await fileOf('video.mp4', video),
    ]);
    const [req] = requests;
    expect(req?.path).toBe(channelEditPath);
    expect(req?.headers.authorization).toBe('Bot t');
    const form = await multipartOf(req as Recorded);
    expect(JSON.parse(String(form.get('payload_json')))).toEqual({
      content: 'Ready',
      attachments: [{ id: '0', filename: 'video.mp4' }],
    });
    expect((await uploaded(req, 'files[0]')).bytes.equals(video)).toBe(true);
  });

  it('sends the whole video again on the channel route after the webhook refused it', async () => {
    answer = (req) =>
      req.path.startsWith('/api/v10/webhooks/')
        ? { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } }
        : { status: 200, body: message() };
    const video = randomBytes(2 * 1024 * 1024);
    const route = await editor.edit(target(), { content: 'Ready' }, [await fileOf('video.mp4', video)]);
    expect(route).toBe('channel-edit');
    expect(requests.map((req) => req.path)).toEqual([webhookPath, channelEditPath]);
    for (const req of requests) expect((await uploaded(req, 'files[0]')).bytes.equals(video)).toBe(true);
  });

  it('throws a 413 40005 (too large) from the webhook without trying the channel', async () => {
    answer = () => ({ status: 413, body: { message: 'Request entity too large', code: 40005 } });
    const error = await editor
      .edit(target(), { content: 'Ready' }, [await fileOf('video.mp4', randomBytes(1024))])
      .catch((caught: unknown) => caught);
    expect((error as DiscordAPIError).code).toBe(40005);
    expect(requests.map((req) => req.path)).toEqual([webhookPath]);
  });

  it('posts a channel message with its nonce enforced', async () => {
    answer = () => ({ status: 200, body: message({ id: '1400000000000000009', content: 'Here' }) });
    const posted = await editor.post(CHANNEL, { content: 'Here' }, [], 'job-abc-1');
    expect(posted.id).toBe('1400000000000000009');
    const [req] = requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/api/v10/channels/${CHANNEL}/messages`);
    expect(req?.headers.authorization).toBe('Bot t');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({
      content: 'Here',
      nonce: 'job-abc-1',
      enforce_nonce: true,
    });
  });

  it('posts files with the nonce inside payload_json', async () => {
    const video = randomBytes(256 * 1024);
    await editor.post(CHANNEL, { content: 'Here' }, [await fileOf('video.mp4', video)], 'n-2');
    const [req] = requests;
    expect(req?.method).toBe('POST');
    expect(req?.headers.authorization).toBe('Bot t');
    const form = await multipartOf(req as Recorded);
    expect(JSON.parse(String(form.get('payload_json')))).toEqual({
      content: 'Here',
      nonce: 'n-2',
      enforce_nonce: true,
      attachments: [{ id: '0', filename: 'video.mp4' }],
    });
    expect((await uploaded(req, 'files[0]')).bytes.equals(video)).toBe(true);
  });
});
