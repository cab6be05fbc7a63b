import type { RouteMatch } from '../support/discord/stand-in.js';
import { type CaseContext, type FaultCase, msgIs } from './fault-case.js';

const ALMOST_EXPIRED = (14 * 60 + 50) * 1000;
const contentOf = (json: unknown) => {
  const content = (json as { content?: unknown } | undefined)?.content;
  return typeof content === 'string' ? content : '';
};
/** The edit that carries the finished video (its content mentions the member). */
const videoEdit =
  (ctx: CaseContext): RouteMatch =>
  (e) =>
    e.method === 'PATCH' &&
    ctx.interaction !== undefined &&
    e.route.includes(ctx.interaction.token) &&
    contentOf(e.json).includes(`<@${ctx.interaction.userId}>`);
/** Any edit of the reply through the interaction webhook. */
export const anyEditOfReply =
  (ctx: CaseContext): RouteMatch =>
  (e) =>
    e.method === 'PATCH' && ctx.interaction !== undefined && e.route.includes(ctx.interaction.token);
const channelRoutes =
  (ctx: CaseContext): RouteMatch =>
  (e) =>
    e.route.startsWith(`/channels/${ctx.guild.channel}/`);
/** Anything that mentions rate limits or Discord's 429. */
const rateLimitLine = (line: { msg: string; [key: string]: unknown }) =>
  /rate.?limit|429/i.test(JSON.stringify(line));

/** Discord's faults on the way back to the member, one guild (and channel) each. */
export const discordFaultCases: FaultCase[] = [
  {
    id: 'D1',
    name: '429 with rate-limit headers on the video edit: delivered after the wait, and logged',
    faults: 1,
    arm: (ctx) => ctx.world.discord.rateLimitNext(videoEdit(ctx), 2),
    expect: { kind: 'delivered', via: 'webhook', status: 'delivered', log: rateLimitLine },
  },
  {
    id: 'D2',
    name: 'global 429 on the video edit: delivered after the wait, and logged',
    faults: 1,
    arm: (ctx) => ctx.world.discord.rateLimitNext(videoEdit(ctx), 1, { global: true }),
    expect: { kind: 'delivered', via: 'webhook', status: 'delivered', log: rateLimitLine },
  },
  {
    id: 'D3',
    name: 'one 502 on the video edit: retried, delivered in the reply, and logged',
    faults: 1,
    arm: (ctx) =>
      void ctx.world.discord.intercept(videoEdit(ctx), {
        status: 502,
        json: { message: 'Bad Gateway', code: 0 },
        times: 1,
      }),
    expect: {
      kind: 'delivered',
      via: 'webhook',
      status: 'delivered',
      log: (line) =>
        line.status === 502 ||
        /502|bad gateway|retr(y|ied)/i.test(`${line.msg} ${JSON.stringify(line.err ?? '')}`),
    },
  },
  {
    id: 'D4',
    name: 'every edit of the reply answers 503: the video is posted as a new message',
    faults: 1,
    arm: (ctx) =>
      void ctx.world.discord.intercept(anyEditOfReply(ctx), {
        status: 503,
        json: { message: 'Service Unavailable', code: 0 },
      }),
    expect: {
      kind: 'delivered',
      via: 'channel-post',
      status: 'delivered',
      log: msgIs('the reply cannot be edited; posting a new message'),
    },
  },
  {
    id: 'D5',
    name: 'the reply message was deleted: the video is posted as a new message that mentions the member',
    faults: 1,
    onQueued: (ctx) => {
      const reply = ctx.interaction ? ctx.world.discord.original(ctx.interaction) : undefined;
      if (reply) ctx.world.discord.messages.delete(reply.id);
    },
    expect: {
      kind: 'delivered',
      via: 'channel-post',
      status: 'delivered',
      log: msgIs('the reply cannot be edited; posting a new message'),
    },
  },
  {
    id: 'D6',
    name: 'the channel is gone (10003): delivery retried with growing gaps (for two hours), logged',
    faults: 1,
    arm: (ctx) => {
      const gone = { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      ctx.world.discord.intercept(
        (e) => channelRoutes(ctx)(e) || (videoEdit(ctx)(e) && e.method === 'PATCH'),
        gone,
      );
    },
    expect: {
      kind: 'open',
      status: 'delivering',
      retries: 3,
      log: msgIs('no route to the member is open; will try again'),
    },
  },
  {
    id: 'D7',
    name: 'token expired and Send Messages revoked (50013): delivery retried with growing gaps, logged',
    faults: 1,
    tokenAgeMs: ALMOST_EXPIRED,
    arm: (ctx) =>
      void ctx.world.discord.intercept(channelRoutes(ctx), {
        status: 403,
        json: { message: 'Missing Permissions', code: 50013 },
      }),
    expect: {
      kind: 'open',
      status: 'delivering',
      retries: 3,
      log: msgIs('no route to the member is open; will try again'),
    },
  },
  {
    id: 'D8',
    name: 'the interaction token expires during the job: delivered by editing the reply as the bot',
    faults: 1,
    tokenAgeMs: ALMOST_EXPIRED,
    expect: {
      kind: 'delivered',
      via: 'channel-edit',
      status: 'delivered',
      log: (line) => line.msg === 'job delivered' && line.deliveredVia === 'channel-edit',
    },
  },
  {
    id: 'D9',
    name: 'the status edit fails (500s): the job goes on and is delivered, the failed edit logged',
    faults: 4,
    arm: (ctx) =>
      void ctx.world.discord.intercept(anyEditOfReply(ctx), {
        status: 500,
        json: { message: 'Internal Server Error', code: 0 },
        times: 4,
      }),
    expect: { kind: 'delivered', status: 'delivered', log: msgIs('could not show the job status') },
  },
  {
    id: 'D10',
    name: 'Discord refuses the upload as too large (40005) on every route: delivered as a link',
    faults: 2,
    arm: (ctx) =>
      void ctx.world.discord.intercept(
        (e) =>
          (videoEdit(ctx)(e) || (e.method === 'POST' && channelRoutes(ctx)(e))) &&
          // Discord answers 40005 to a body that carries a file, not to a link.
          ((e.json as { attachments?: unknown[] })?.attachments?.length ?? 0) > 0,
        { status: 413, json: { message: 'Request entity too large', code: 40005 } },
      ),
    expect: {
      kind: 'linked',
      status: 'delivered',
      log: msgIs('Discord refused the upload as too large; delivering a link'),
    },
  },
  {
    id: 'D11',
    name: 'the webhook refuses the token early (401 50027): the reply is edited through the channel',
    faults: 1,
    arm: (ctx) =>
      void ctx.world.discord.intercept(videoEdit(ctx), {
        status: 401,
        json: { message: 'Invalid Webhook Token', code: 50027 },
      }),
    expect: {
      kind: 'delivered',
      via: 'channel-edit',
      status: 'delivered',
      log: msgIs('interaction webhook refused the edit; trying the channel route'),
    },
  },
];
