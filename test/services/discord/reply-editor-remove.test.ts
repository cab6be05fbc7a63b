import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplyEditor, type ReplyTarget } from '../../../src/services/discord/reply-editor.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const APP = '1400000000000000001';
const TOKEN = 'aW50ZXJhY3Rpb24tdG9rZW4';
const CHANNEL = '1400000000000000002';
const REPLY = '1400000000000000003';
const POSTED = '1400000000000000004';

const webhookPath = `/api/v10/webhooks/${APP}/${TOKEN}/messages/@original`;
const channelPath = (id: string) => `/api/v10/channels/${CHANNEL}/messages/${id}`;

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

describe('ReplyEditor.remove', () => {
  let server: Server;
  let requests: Recorded[];
  let answer: (req: Recorded) => { status: number; body?: unknown };
  let editor: ReplyEditor;

  const target = (overrides: Partial<ReplyTarget> = {}): ReplyTarget => ({
    applicationId: APP,
    interactionToken: TOKEN,
    tokenExpiresAt: NOW + 10 * 60_000,
    channelId: CHANNEL,
    replyMessageId: REPLY,
    ...overrides,
  });

  beforeEach(async () => {
    requests = [];
    answer = () => ({ status: 204 });
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          path: decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname),
          headers: req.headers,
        };
        requests.push(recorded);
        const { status, body } = answer(recorded);
        if (status === 204) res.writeHead(204).end();
        else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rest = new REST({ api: `http://127.0.0.1:${port}/api`, retries: 0 }).setToken('t');
    editor = new ReplyEditor(rest, pino({ level: 'silent' }), () => NOW);
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sent = () => requests.map((req) => [req.method, req.path, req.headers.authorization]);

  it('deletes the reply through the interaction webhook, without the bot token, while the token lives', async () => {
    expect(await editor.remove(target(), REPLY)).toBe('interaction');
    expect(sent()).toEqual([['DELETE', webhookPath, undefined]]);
  });

  it('deletes the reply through the channel with the bot token once the token is (nearly) expired', async () => {
    expect(await editor.remove(target({ tokenExpiresAt: NOW + 30_000 }), REPLY)).toBe('channel-edit');
    expect(sent()).toEqual([['DELETE', channelPath(REPLY), 'Bot t']]);
  });

  it('deletes a message the video was posted in (not the reply) through the channel', async () => {
    expect(await editor.remove(target(), POSTED)).toBe('channel-edit');
    expect(sent()).toEqual([['DELETE', channelPath(POSTED), 'Bot t']]);
  });

  it('falls back to the channel when the webhook says its token is invalid', async () => {
    answer = (req) =>
      req.path.includes('/webhooks/')
        ? { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } }
        : { status: 204 };
    expect(await editor.remove(target(), REPLY)).toBe('channel-edit');
    expect(sent()).toEqual([
      ['DELETE', webhookPath, undefined],
      ['DELETE', channelPath(REPLY), 'Bot t'],
    ]);
  });

  it('counts a message that is already gone as deleted', async () => {
    answer = () => ({ status: 404, body: { message: 'Unknown Message', code: 10008 } });
    expect(await editor.remove(target(), REPLY)).toBe('gone');
  });

  it('throws a refusal without the interaction token in it', async () => {
    answer = () => ({ status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const error = await editor.remove(target(), REPLY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
    expect(sent()).toEqual([['DELETE', webhookPath, undefined]]);
  });
});
