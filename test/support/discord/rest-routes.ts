import { apiError, json, noContent, type Reply, type Req, type Route, route } from './http.js';
import { applyMessageBody, checkMessageBody, EPHEMERAL } from './messages.js';
import { applicationPayload, guildPayload, memberPayload, newMessage, rolesFor } from './payloads.js';
import { MiB, Perm, type StandInState, type StoredCommand } from './state.js';
import { describeErrors, formBodyError } from './validate.js';
import { validateCommands, validateSingleCommand } from './validate-commands.js';

type Obj = Record<string, unknown>;
type P = Record<string, string>;

export function botRoutes(state: StandInState): Route[] {
  /** Wraps a handler that needs `Authorization: Bot <token>`. */
  const bot =
    (handler: (req: Req, p: P) => Reply) =>
    (req: Req, p: P): Reply => {
      if (req.headers.authorization !== `Bot ${state.token}`) {
        const got = req.headers.authorization ? 'a wrong token' : 'no Authorization header';
        state.violate(
          `${req.method} ${req.route}: bot route called with ${got} (401 wipes the client's token)`,
        );
        return apiError(401, 0, '401: Unauthorized');
      }
      return handler(req, p);
    };

  const channel = (req: Req, id: string) => {
    const ch = state.channels.get(id);
    if (!ch) state.violate(`${req.method} ${req.route}: unknown channel ${id}`);
    return ch;
  };
  const unknownChannel = () => apiError(404, 10003, 'Unknown Channel');
  const uploadLimit = (channelId: string) => state.guildOf(channelId)?.uploadLimit ?? 10 * MiB;

  const channelMessage = (req: Req, p: P) => {
    const m = state.messages.get(p.message ?? '');
    if (!m || m.channel_id !== p.channel || m.flags & EPHEMERAL) {
      state.violate(`${req.method} ${req.route}: unknown message (ephemeral replies are not reachable here)`);
      return undefined;
    }
    return m;
  };

  const gatewayBot = () =>
    json(200, {
      url: `ws://127.0.0.1:${state.port}/gateway`,
      shards: state.shardCount,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    });

  const appCheck = (req: Req, p: P): Reply | undefined => {
    if (p.app === state.botUser.id) return undefined;
    state.violate(`${req.method} ${req.route}: application ${p.app} is not this bot's (${state.botUser.id})`);
    return apiError(403, 50001, 'Missing Access');
  };

  /** Returns the command list for a scope, or an error reply for an unknown guild. */
  const scope = (req: Req, p: P): StoredCommand[] | Reply => {
    const denied = appCheck(req, p);
    if (denied) return denied;
    if (p.guild === undefined) return state.commands.global;
    if (!state.guilds.some((g) => g.id === p.guild)) {
      state.violate(`${req.method} ${req.route}: unknown guild ${p.guild}`);
      return apiError(404, 10004, 'Unknown Guild');
    }
    const list = state.commands.byGuild.get(p.guild) ?? [];
    state.commands.byGuild.set(p.guild, list);
    return list;
  };

  const stored = (cmd: Obj, guild: string | undefined): StoredCommand => {
    const type = (cmd.type as number | undefined) ?? 1;
    const key = `${guild ?? 'global'}:${type}:${String(cmd.name)}`;
    const id = state.commandIds.get(key) ?? state.snow.next();
    state.commandIds.set(key, id);
    return {
      default_member_permissions: null,
      contexts: null,
      integration_types: [0],
      nsfw: false,
      name_localizations: null,
      description_localizations: null,
      ...cmd,
      type,
      description: (cmd.description as string | undefined) ?? '',
      id,
      name: String(cmd.name),
      application_id: state.botUser.id,
      version: state.snow.next(),
      ...(guild ? { guild_id: guild } : {}),
    };
  };

  const commandRoutes = (prefix: string): Route[] => [
    route(
      'GET',
      prefix,
      bot((req, p) => {
        const list = scope(req, p);
        return Array.isArray(list) ? json(200, list) : list;
      }),
    ),
    route(
      'PUT',
      prefix,
      bot((req, p) => {
        const list = scope(req, p);
        if (!Array.isArray(list)) return list;
        const errors = validateCommands(req.json, 100);
        if (errors.length) {
          state.violate(`${req.method} ${req.route}: invalid commands (${describeErrors(errors)})`);
          return json(400, formBodyError(errors));
        }
        const next = (req.json as Obj[]).map((c) => stored(c, p.guild));
        list.splice(0, list.length, ...next);
        return json(200, list);
      }),
    ),
    route(
      'POST',
      prefix,
      bot((req, p) => {
        const list = scope(req, p);
        if (!Array.isArray(list)) return list;
        const errors = validateSingleCommand(req.json);
        if (errors.length) {
          state.violate(`${req.method} ${req.route}: invalid command (${describeErrors(errors)})`);
          return json(400, formBodyError(errors));
        }
        const cmd = stored(req.json as Obj, p.guild);
        const at = list.findIndex((c) => c.id === cmd.id);
        if (at >= 0) list[at] = cmd;
        else list.push(cmd);
        return json(at >= 0 ? 200 : 201, cmd);
      }),
    ),
    route(
      'DELETE',
      `${prefix}/:command`,
      bot((req, p) => {
        const list = scope(req, p);
        if (!Array.isArray(list)) return list;
        const at = list.findIndex((c) => c.id === p.command);
        if (at < 0) {
          state.violate(`${req.method} ${req.route}: unknown command`);
          return apiError(404, 10063, 'Unknown application command');
        }
        list.splice(at, 1);
        return noContent();
      }),
    ),
  ];

  return [
    route('GET', '/gateway', () => json(200, { url: `ws://127.0.0.1:${state.port}/gateway` })),
    route('GET', '/gateway/bot', bot(gatewayBot)),
    route(
      'GET',
      '/users/@me',
      bot(() => json(200, { ...state.botUser, verified: true, mfa_enabled: false })),
    ),
    route(
      'POST',
      '/users/@me/channels',
      bot((req) => {
        const id = String((req.json as Obj | undefined)?.recipient_id ?? '');
        if (!state.users.has(id)) {
          state.violate(`${req.method} ${req.route}: unknown recipient ${id}`);
          return apiError(400, 50033, 'Invalid Recipient(s)');
        }
        return json(200, state.dmChannelFor(id).payload);
      }),
    ),
    route(
      'GET',
      '/users/:user',
      bot((_req, p) => {
        const u = state.users.get(p.user ?? '');
        return u ? json(200, u) : apiError(404, 10013, 'Unknown User');
      }),
    ),
    route(
      'GET',
      '/applications/@me',
      bot(() => json(200, applicationPayload(state))),
    ),
    ...commandRoutes('/applications/:app/guilds/:guild/commands'),
    ...commandRoutes('/applications/:app/commands'),
    route(
      'GET',
      '/guilds/:guild',
      bot((req, p) => {
        const g = state.guilds.find((x) => x.id === p.guild);
        if (!g) state.violate(`${req.method} ${req.route}: unknown guild`);
        return g
          ? json(200, { ...guildPayload(state, g), roles: rolesFor(state, g) })
          : apiError(404, 10004, 'Unknown Guild');
      }),
    ),
    route(
      'GET',
      '/guilds/:guild/channels',
      bot((req, p) => {
        const g = state.guilds.find((x) => x.id === p.guild);
        if (!g) state.violate(`${req.method} ${req.route}: unknown guild`);
        return g ? json(200, state.channelsOf(g)) : apiError(404, 10004, 'Unknown Guild');
      }),
    ),
    route(
      'GET',
      '/guilds/:guild/members/:user',
      bot((_req, p) => {
        const g = state.guilds.find((x) => x.id === p.guild);
        if (!g) return apiError(404, 10004, 'Unknown Guild');
        return state.users.has(p.user ?? '')
          ? json(200, memberPayload(state, g, p.user ?? ''))
          : apiError(404, 10007, 'Unknown Member');
      }),
    ),
    route(
      'GET',
      '/channels/:channel',
      bot((req, p) => {
        const ch = channel(req, p.channel ?? '');
        return ch ? json(200, ch.payload) : unknownChannel();
      }),
    ),
    route(
      'POST',
      '/channels/:channel/messages',
      bot((req, p) => {
        const ch = channel(req, p.channel ?? '');
        if (!ch) return unknownChannel();
        const denied = ch.guildId ? missingPermission(state, ch.id, req.json, req.files.length) : undefined;
        if (denied) return denied;
        const what = `${req.method} ${req.route}`;
        const bad = checkMessageBody(state, what, req.json, req.files, {
          create: true,
          uploadLimit: uploadLimit(ch.id),
        });
        if (bad) return bad;
        const body = (req.json ?? {}) as Obj;
        const m = newMessage(state, { channelId: ch.id, type: body.message_reference ? 19 : 0 });
        applyMessageBody(state, m, body, req.files, 'create');
        state.messages.set(m.id, m);
        ch.payload.last_message_id = m.id;
        return json(200, m);
      }),
    ),
    route(
      'GET',
      '/channels/:channel/messages/:message',
      bot((req, p) => {
        if (!channel(req, p.channel ?? '')) return unknownChannel();
        const m = channelMessage(req, p);
        return m ? json(200, m) : apiError(404, 10008, 'Unknown Message');
      }),
    ),
    route(
      'PATCH',
      '/channels/:channel/messages/:message',
      bot((req, p) => {
        const ch = channel(req, p.channel ?? '');
        if (!ch) return unknownChannel();
        const m = channelMessage(req, p);
        if (!m) return apiError(404, 10008, 'Unknown Message');
        if (m.author.id !== state.botUser.id) {
          state.violate(`${req.method} ${req.route}: editing a message authored by someone else`);
          return apiError(403, 50005, 'Cannot edit a message authored by another user');
        }
        const what = `${req.method} ${req.route}`;
        const bad = checkMessageBody(state, what, req.json, req.files, {
          create: false,
          existing: m.attachments,
          uploadLimit: uploadLimit(ch.id),
        });
        if (bad) return bad;
        applyMessageBody(state, m, (req.json ?? {}) as Obj, req.files, 'edit');
        return json(200, m);
      }),
    ),
    route(
      'DELETE',
      '/channels/:channel/messages/:message',
      bot((req, p) => {
        if (!channel(req, p.channel ?? '')) return unknownChannel();
        const m = channelMessage(req, p);
        if (!m) return apiError(404, 10008, 'Unknown Message');
        state.messages.delete(m.id);
        return noContent();
      }),
    ),
  ];
}

/**
 * Discord's answer to a message the bot may not post in a guild channel: 50001 Missing Access
 * without View Channel, else 50013 Missing Permissions without Send Messages, or with embeds
 * but no Embed Links, or with files but no Attach Files.
 */
function missingPermission(
  state: StandInState,
  channelId: string,
  body: unknown,
  files: number,
): Reply | undefined {
  const perms = state.botPermissionsIn(channelId);
  const has = (bit: bigint) => (perms & bit) === bit;
  if (!has(Perm.ViewChannel)) return apiError(403, 50001, 'Missing Access');
  const embeds = (body as { embeds?: unknown } | undefined)?.embeds;
  const withEmbeds = Array.isArray(embeds) && embeds.length > 0;
  if (
    !has(Perm.SendMessages) ||
    (withEmbeds && !has(Perm.EmbedLinks)) ||
    (files > 0 && !has(Perm.AttachFiles))
  )
    return apiError(403, 50013, 'Missing Permissions');
  return undefined;
}
