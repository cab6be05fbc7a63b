import {
  ADMIN_ROLE_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  type GuildState,
  type InteractionState,
  type StandInState,
} from './state.js';
import type { MessageObject, UserChoice, UserPayload } from './types.js';

export function rolesFor(state: StandInState, g: GuildState): Record<string, unknown>[] {
  const role = (id: string, name: string, permissions: bigint, position: number, extra = {}) => ({
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
    ...extra,
  });
  return [
    role(g.id, '@everyone', EVERYONE_PERMISSIONS, 0),
    role(g.adminRoleId, 'Admin', ADMIN_ROLE_PERMISSIONS, 2),
    role(g.botRoleId, state.botUser.username, state.botPermissions, 1, {
      managed: true,
      tags: { bot_id: state.botUser.id },
    }),
  ];
}

export function guildPayload(state: StandInState, g: GuildState): Record<string, unknown> {
  const boosts = [0, 2, 7, 14][Math.min(g.premiumTier, 3)] ?? 0;
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    nsfw: false,
    roles: rolesFor(state, g),
    emojis: [],
    stickers: [],
    features: [],
    application_id: null,
    system_channel_id: g.channelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    premium_tier: g.premiumTier,
    premium_subscription_count: boosts,
    premium_progress_bar_enabled: false,
    preferred_locale: g.preferredLocale,
    incidents_data: null,
  };
}

export function guildCreatePayload(state: StandInState, g: GuildState): Record<string, unknown> {
  return {
    ...guildPayload(state, g),
    joined_at: g.joinedAt,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: 4,
    members: [memberPayload(state, g, state.botUser.id)],
    channels: state.channelsOf(g),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}

export function applicationPayload(state: StandInState): Record<string, unknown> {
  return {
    id: state.botUser.id,
    name: state.botUser.username,
    icon: null,
    description: 'Turns an image and a prompt into a short video.',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: 'f'.repeat(64),
    flags: state.appFlags,
    hook: true,
    is_monetized: false,
    is_verified: false,
    is_discoverable: false,
    bot: state.botUser,
    owner: state.users.get(state.userIds.admin),
    team: null,
    tags: [],
    install_params: {
      scopes: ['bot', 'applications.commands'],
      permissions: state.botPermissions.toString(),
    },
    integration_types_config: { '0': {} },
    approximate_guild_count: state.guilds.length,
    approximate_user_install_count: 0,
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
  };
}

export function readyPayload(
  state: StandInState,
  sessionId: string,
  shard: unknown,
  guilds: readonly GuildState[] = state.guilds,
): Record<string, unknown> {
  return {
    v: 10,
    user_settings: {},
    user: { ...state.botUser, verified: true, mfa_enabled: false, email: null },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    session_type: 'normal',
    resume_gateway_url: `ws://127.0.0.1:${state.port}/gateway`,
    shard: Array.isArray(shard) ? shard : [0, 1],
    application: { id: state.botUser.id, flags: state.appFlags },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['local'],
    auth: {},
    _trace: ['["gateway-stand-in",{"micros":0}]'],
  };
}

/** Resolves a user choice into the user object and the member's role ids / permission bits. */
export function resolveUser(
  state: StandInState,
  g: GuildState | undefined,
  choice: UserChoice = 'user',
): { user: UserPayload; roles: string[]; permissions: bigint } {
  if (choice === 'user' || choice === 'admin') {
    const user = state.users.get(state.userIds[choice]) as UserPayload;
    const admin = choice === 'admin';
    return {
      user,
      roles: admin && g ? [g.adminRoleId] : [],
      permissions: admin ? EVERYONE_PERMISSIONS | ADMIN_ROLE_PERMISSIONS : EVERYONE_PERMISSIONS,
    };
  }
  const user = state.users.get(choice.id) ?? state.addUser(choice.id, `user-${choice.id}`);
  return { user, roles: [], permissions: BigInt(choice.permissions ?? EVERYONE_PERMISSIONS) };
}

export function memberPayload(
  state: StandInState,
  g: GuildState,
  userId: string,
  extra: { roles?: string[]; permissions?: bigint } = {},
): Record<string, unknown> {
  const isBot = userId === state.botUser.id;
  const roles =
    extra.roles ?? (isBot ? [g.botRoleId] : userId === state.userIds.admin ? [g.adminRoleId] : []);
  return {
    user: state.users.get(userId),
    roles,
    nick: null,
    avatar: null,
    banner: null,
    joined_at: isBot ? g.joinedAt : new Date(Date.parse(g.joinedAt) + 1000).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
    ...(extra.permissions === undefined ? {} : { permissions: extra.permissions.toString() }),
  };
}

export function newMessage(
  state: StandInState,
  init: { channelId: string; type: number; interaction?: InteractionState; flags?: number },
): MessageObject {
  const i = init.interaction;
  const ch = state.channels.get(init.channelId);
  const message: MessageObject = {
    id: state.snow.next(),
    type: init.type,
    channel_id: init.channelId,
    author: state.botUser,
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    timestamp: new Date(state.clock.now()).toISOString(),
    edited_timestamp: null,
    flags: init.flags ?? 0,
    tts: false,
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    ...(ch?.guildId ? { guild_id: ch.guildId } : {}),
  };
  if (i) {
    const user = state.users.get(i.userId);
    message.webhook_id = i.applicationId;
    message.application_id = i.applicationId;
    message.interaction_metadata = {
      id: i.id,
      type: i.type,
      user,
      authorizing_integration_owners: i.payload.authorizing_integration_owners,
      ...(i.type === 2 ? { name: (i.payload.data as { name?: string }).name } : {}),
    };
  }
  return message;
}
