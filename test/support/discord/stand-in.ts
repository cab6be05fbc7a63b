import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gateway } from './gateway.js';
import { InteractionSender } from './interactions.js';
import { newMessage } from './payloads.js';
import { RestServer } from './server.js';
import { createClock } from './snowflake.js';
import { DEFAULT_BOT_PERMISSIONS, StandInState, shardOfGuild } from './state.js';
import type { AttachmentPayload, DiscordStandIn, Interaction, RouteMatch, StandInOptions } from './types.js';

export { snowflakeTime } from './snowflake.js';
export type * from './types.js';

/**
 * Starts a local Discord stand-in (REST under /api/v10, gateway at /gateway, CDN at /cdn) on 127.0.0.1.
 * Point an unmodified discord.js Client at it with `new Client({ rest: { api: standIn.restApi } })`.
 */
export async function startDiscordStandIn(options: StandInOptions = {}): Promise<DiscordStandIn> {
  const token = options.token ?? 'test-bot-token';
  const clock = createClock();
  let rest: RestServer | undefined;
  let gateway: Gateway | undefined;
  const server = createServer((req, res) => {
    if (!rest) {
      res.writeHead(503).end();
      return;
    }
    rest.handle(req, res).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : undefined);
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (gateway) gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const state = new StandInState(token, port, clock, {
    guilds: options.guilds ?? 1,
    premiumTier: options.guildPremiumTier ?? 0,
    botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    ...(options.shards === undefined ? {} : { shards: options.shards }),
    ...(options.channels === undefined ? {} : { channels: options.channels }),
  });
  const restServer = new RestServer(state);
  const gw = new Gateway(state, options.heartbeatInterval ?? 41_250);
  rest = restServer;
  gateway = gw;
  const sender = new InteractionSender(state, gw);
  const interactionOf = (i: Interaction | string) =>
    state.findInteraction(typeof i === 'string' ? i : i.token);

  return {
    restApi: `http://127.0.0.1:${port}/api`,
    port,
    token,
    gatewayUrl: `ws://127.0.0.1:${port}/gateway`,
    ids: {
      app: state.botUser.id,
      botUser: state.botUser.id,
      guilds: state.guilds.map((g) => ({ id: g.id, channel: g.channelId, channels: g.extraChannelIds })),
      user: state.userIds.user,
      admin: state.userIds.admin,
    },
    log: state.log,
    frames: state.frames,
    violations: state.violations,
    get expiredTokenUses() {
      return state.expiredTokenUses;
    },
    assertNoViolations(ignore?: RegExp) {
      const list = ignore ? state.violations.filter((v) => !ignore.test(v)) : state.violations;
      if (list.length) {
        throw new Error(`Discord stand-in recorded ${list.length} violation(s):\n- ${list.join('\n- ')}`);
      }
    },
    waitForRest: (pred, timeoutMs = 5000) => restServer.waitFor(pred, timeoutMs),
    waitForReady: (timeoutMs = 10_000) => gw.waitForReady(timeoutMs),
    seedAttachment(name, contentType, bytes, extra = {}): AttachmentPayload {
      const channel = state.guilds[0]?.channelId ?? state.botUser.id;
      const a = state.makeAttachment(channel, name, bytes, contentType, { ephemeral: true });
      if (extra.width !== undefined) a.width = extra.width;
      if (extra.height !== undefined) a.height = extra.height;
      if (extra.size !== undefined) a.size = extra.size;
      state.seeded.set(a.id, a);
      return a;
    },
    sendSlashCommand: (args) => sender.slashCommand(args),
    sendButton: (args) => sender.button(args),
    sendModalSubmit: (args) => sender.modalSubmit(args),
    sendMessageCommand: (args) => sender.messageCommand(args),
    seedMessage(args) {
      const g = state.guilds[args.guild ?? 0];
      if (!g) throw new Error(`Discord stand-in: no guild at index ${args.guild}`);
      const message = newMessage(state, { channelId: g.channelId, type: 0 });
      const author = state.users.get(args.authorId ?? state.userIds.user);
      if (author) message.author = author;
      message.content = args.content ?? '';
      message.attachments = (args.files ?? []).map((file) =>
        state.makeAttachment(g.channelId, file.name, file.bytes, file.type),
      );
      message.embeds = args.embeds ?? [];
      state.messages.set(message.id, message);
      return message;
    },
    cdnUrl: (name, type, bytes) =>
      state.storeCdn(state.guilds[0]?.channelId ?? state.botUser.id, state.snow.next(), name, bytes, type),
    sendAutocomplete: (args) => sender.autocomplete(args),
    dispatch: (t, d) => gw.dispatch(t, d),
    sessions: () => gw.sessions(),
    shardOf: (guildId, shards) => shardOfGuild(guildId, shards),
    sendOp: (op, d) => gw.sendOp(op, d),
    closeGateway: (code) => gw.closeGateway(code),
    intercept: (match, reply) => restServer.intercept(match, reply),
    rateLimitNext(match: RouteMatch, retryAfterSec: number, opts: { global?: boolean } = {}) {
      const resetAt = (Date.now() / 1000 + retryAfterSec).toFixed(3);
      restServer.intercept(match, {
        status: 429,
        times: 1,
        json: {
          message: 'You are being rate limited.',
          retry_after: retryAfterSec,
          global: Boolean(opts.global),
        },
        headers: {
          'retry-after': String(retryAfterSec),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': resetAt,
          'x-ratelimit-reset-after': retryAfterSec.toFixed(3),
          'x-ratelimit-bucket': 'f2a6e0c8b1d9a3e7c5b4d2f0a8e6c4b2',
          'x-ratelimit-scope': opts.global ? 'global' : 'user',
          ...(opts.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      });
    },
    clock,
    messages: state.messages,
    original(i) {
      const id = interactionOf(i)?.originalId;
      return id ? state.messages.get(id) : undefined;
    },
    modal: (i) => interactionOf(i)?.modal,
    commands: state.commands,
    async close() {
      sender.close();
      restServer.close();
      await gw.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
