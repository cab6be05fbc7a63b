import { createHmac, randomBytes } from 'node:crypto';
import { redactTokenRoutes } from './http.js';
import { imageSize } from './media.js';
import { DISCORD_EPOCH, Snowflakes, type StandInClock } from './snowflake.js';
import type { AttachmentPayload, GatewayFrame, MessageObject, RestLogEntry, UserPayload } from './types.js';

export const MiB = 1024 * 1024;
export const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
export const ACK_DEADLINE_MS = 3000;

export const Perm = {
  CreateInstantInvite: 1n << 0n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  UseExternalStickers: 1n << 37n,
  SendMessagesInThreads: 1n << 38n,
} as const;

const ADMINISTRATOR = 1n << 3n;
const ALL_PERMISSIONS = (1n << 53n) - 1n;

export const EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite |
  Perm.AddReactions |
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.UseExternalEmojis |
  Perm.Connect |
  Perm.Speak |
  Perm.UseVAD |
  Perm.ChangeNickname |
  Perm.UseApplicationCommands |
  Perm.CreatePublicThreads |
  Perm.UseExternalStickers |
  Perm.SendMessagesInThreads;
export const ADMIN_ROLE_PERMISSIONS =
  Perm.ManageGuild | Perm.ManageMessages | Perm.ManageChannels | Perm.ManageRoles;
export const DEFAULT_BOT_PERMISSIONS =
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.UseApplicationCommands |
  Perm.SendMessagesInThreads;

/** `(guild_id >> 22) % shards`: the shard Discord sends a guild's events to. */
export function shardOfGuild(guildId: string, shards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shards));
}

/** The first ms at or after `atMs` whose snowflakes fall on `shard` of `shards`. */
function onShard(atMs: number, shard: number, shards: number): number {
  const ms = Math.floor(atMs);
  const current = Number((BigInt(ms) - DISCORD_EPOCH) % BigInt(shards));
  return ms + ((shard - current + shards) % shards);
}

export function uploadLimitForTier(tier: number): number {
  return tier >= 3 ? 100 * MiB : tier === 2 ? 50 * MiB : 10 * MiB;
}

export interface GuildState {
  index: number;
  id: string;
  channelId: string;
  name: string;
  ownerId: string;
  adminRoleId: string;
  botRoleId: string;
  premiumTier: number;
  preferredLocale: string;
  joinedAt: string;
  uploadLimit: number;
  /** The guild's other text channels (StandInOptions.channels), by name. */
  extraChannelIds: Record<string, string>;
}

/** A further text channel in every guild; `botDeny` becomes an overwrite on the bot's role. */
export interface ExtraChannel {
  name: string;
  botDeny?: bigint;
}

export interface ChannelState {
  id: string;
  type: number;
  guildId?: string;
  payload: Record<string, unknown>;
}

export interface InteractionState {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  payload: Record<string, unknown>;
  createdAt: number;
  sentAt: number;
  channelId: string;
  userId: string;
  guild?: GuildState;
  attachmentSizeLimit: number;
  acked: boolean;
  ackType?: number;
  originalId?: string;
  sourceMessageId?: string;
  followups: Set<string>;
  modal?: unknown;
  timer?: NodeJS.Timeout;
}

export interface CdnEntry {
  bytes: Buffer;
  contentType: string;
  ex: string;
  is: string;
  hm: string;
  expiresAt: number;
}

export interface StoredCommand extends Record<string, unknown> {
  id: string;
  name: string;
}

export class StandInState {
  readonly clock: StandInClock;
  readonly snow: Snowflakes;
  readonly baseUrl: string;
  readonly botPermissions: bigint;
  readonly botUser: UserPayload;
  readonly appFlags = 1 << 23;
  readonly users = new Map<string, UserPayload>();
  readonly guilds: GuildState[] = [];
  readonly channels = new Map<string, ChannelState>();
  readonly messages = new Map<string, MessageObject>();
  readonly interactions = new Map<string, InteractionState>();
  readonly cdn = new Map<string, CdnEntry>();
  /** Attachments from seedAttachment(), by id (auto-filled into `resolved.attachments`). */
  readonly seeded = new Map<string, AttachmentPayload>();
  readonly commands = { global: [] as StoredCommand[], byGuild: new Map<string, StoredCommand[]>() };
  readonly commandIds = new Map<string, string>();
  readonly violations: string[] = [];
  readonly log: RestLogEntry[] = [];
  readonly frames: GatewayFrame[] = [];
  readonly userIds: { user: string; admin: string };
  expiredTokenUses = 0;
  /** Shard count recommended by GET /gateway/bot. */
  readonly shardCount: number;
  readonly #signingKey = randomBytes(32);

  constructor(
    readonly token: string,
    readonly port: number,
    clock: StandInClock,
    opts: {
      guilds: number;
      premiumTier: number;
      botPermissions: bigint;
      shards?: number;
      channels?: ExtraChannel[];
    },
  ) {
    this.clock = clock;
    this.snow = new Snowflakes(clock);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.botPermissions = opts.botPermissions;
    const longAgo = clock.now() - 400 * 24 * 3600 * 1000;
    const botId = this.snow.next(longAgo);
    this.botUser = this.addUser(botId, 'Animate Bot', true);
    this.userIds = {
      user: this.addUser(this.snow.next(longAgo - 1e9), 'tester').id,
      admin: this.addUser(this.snow.next(longAgo - 2e9), 'server-admin').id,
    };
    this.shardCount = opts.shards ?? 1;
    for (let index = 0; index < opts.guilds; index++) {
      const created = onShard(longAgo - 3e9 + index * 1000, index % this.shardCount, this.shardCount);
      const id = this.snow.next(created);
      const premiumTier = opts.premiumTier;
      const guild: GuildState = {
        index,
        id,
        channelId: this.snow.next(created + 1),
        name: `Test Guild ${index + 1}`,
        ownerId: this.snow.next(created - 1e9),
        adminRoleId: this.snow.next(created + 2),
        botRoleId: this.snow.next(created + 3),
        premiumTier,
        preferredLocale: 'en-US',
        joinedAt: new Date(longAgo + 1e6).toISOString(),
        uploadLimit: uploadLimitForTier(premiumTier),
        extraChannelIds: {},
      };
      this.guilds.push(guild);
      this.channels.set(guild.channelId, {
        id: guild.channelId,
        type: 0,
        guildId: id,
        payload: {
          id: guild.channelId,
          type: 0,
          guild_id: id,
          name: 'general',
          position: 0,
          permission_overwrites: [],
          parent_id: null,
          topic: null,
          nsfw: false,
          last_message_id: null,
          rate_limit_per_user: 0,
          flags: 0,
        },
      });
      for (const [position, extra] of (opts.channels ?? []).entries())
        this.addTextChannel(guild, extra, position + 1);
    }
  }

  #addTextChannelPayload(
    guild: GuildState,
    id: string,
    name: string,
    position: number,
    overwrites: unknown[],
  ) {
    this.channels.set(id, {
      id,
      type: 0,
      guildId: guild.id,
      payload: {
        id,
        type: 0,
        guild_id: guild.id,
        name,
        position,
        permission_overwrites: overwrites,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: 0,
      },
    });
  }

  addTextChannel(guild: GuildState, extra: ExtraChannel, position: number): string {
    const id = this.snow.next();
    const overwrites = extra.botDeny
      ? [{ id: guild.botRoleId, type: 0, allow: '0', deny: extra.botDeny.toString() }]
      : [];
    this.#addTextChannelPayload(guild, id, extra.name, position, overwrites);
    guild.extraChannelIds[extra.name] = id;
    return id;
  }

  /** The guild's channels as GUILD_CREATE and GET /guilds/{id}/channels list them. */
  channelsOf(guild: GuildState): Record<string, unknown>[] {
    return [...this.channels.values()].filter((ch) => ch.guildId === guild.id).map((ch) => ch.payload);
  }

  /**
   * The bot's permissions in a guild channel, computed as Discord documents it: @everyone's and
   * the bot role's bits, Administrator grants all, then the @everyone overwrite, the role
   * overwrites together, and the member overwrite, each denying then allowing.
   */
  botPermissionsIn(channelId: string): bigint {
    const ch = this.channels.get(channelId);
    const guild = this.guildOf(channelId);
    if (!ch || !guild) return ALL_PERMISSIONS;
    let perms = EVERYONE_PERMISSIONS | this.botPermissions;
    if (perms & ADMINISTRATOR) return ALL_PERMISSIONS;
    const overwrites = (ch.payload.permission_overwrites ?? []) as Array<{
      id: string;
      type: number;
      allow: string;
      deny: string;
    }>;
    const apply = (list: typeof overwrites) => {
      const deny = list.reduce((bits, o) => bits | BigInt(o.deny), 0n);
      const allow = list.reduce((bits, o) => bits | BigInt(o.allow), 0n);
      perms = (perms & ~deny) | allow;
    };
    apply(overwrites.filter((o) => o.type === 0 && o.id === guild.id));
    apply(overwrites.filter((o) => o.type === 0 && o.id === guild.botRoleId));
    apply(overwrites.filter((o) => o.type === 1 && o.id === this.botUser.id));
    return perms;
  }

  addUser(id: string, username: string, bot = false): UserPayload {
    const user: UserPayload = {
      id,
      username,
      discriminator: bot ? '0001' : '0',
      global_name: bot ? null : username,
      avatar: null,
      ...(bot ? { bot: true } : {}),
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      primary_guild: null,
      collectibles: null,
    };
    this.users.set(id, user);
    return user;
  }

  /** Records a problem; interaction tokens in it (routes carry them) become `{token}`. */
  violate(message: string): void {
    this.violations.push(this.redact(message));
  }

  /** Replaces interaction tokens (in routes, or any the stand-in issued) with `{token}`. */
  redact(text: string): string {
    let out = redactTokenRoutes(text);
    for (const token of this.interactions.keys()) out = out.replaceAll(token, '{token}');
    return out;
  }

  dmChannelFor(userId: string): ChannelState {
    for (const ch of this.channels.values()) {
      if (ch.type === 1 && (ch.payload.recipients as UserPayload[])[0]?.id === userId) return ch;
    }
    const id = this.snow.next();
    const user = this.users.get(userId) ?? this.addUser(userId, `user-${userId}`);
    const ch: ChannelState = {
      id,
      type: 1,
      payload: { id, type: 1, recipients: [user], last_message_id: null, flags: 0 },
    };
    this.channels.set(id, ch);
    return ch;
  }

  /** Stores bytes on the fake CDN and returns a signed-looking URL (ex/is/hm). */
  storeCdn(
    channelId: string,
    attachmentId: string,
    filename: string,
    bytes: Buffer,
    contentType: string,
  ): string {
    const now = this.clock.now();
    const expiresAt = now + 24 * 3600 * 1000;
    const ex = Math.floor(expiresAt / 1000).toString(16);
    const is = Math.floor(now / 1000).toString(16);
    const path = `/cdn/attachments/${channelId}/${attachmentId}/${filename}`;
    const hm = createHmac('sha256', this.#signingKey).update(`${path}|${ex}|${is}`).digest('hex');
    this.cdn.set(path, { bytes, contentType, ex, is, hm, expiresAt });
    const encoded = `/cdn/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
    return `${this.baseUrl}${encoded}?ex=${ex}&is=${is}&hm=${hm}&`;
  }

  makeAttachment(
    channelId: string,
    filename: string,
    bytes: Buffer,
    contentType: string,
    extra: Partial<AttachmentPayload> = {},
  ): AttachmentPayload {
    const id = this.snow.next();
    const url = this.storeCdn(channelId, id, filename, bytes, contentType);
    const dims = imageSize(bytes);
    return {
      id,
      filename,
      size: bytes.length,
      url,
      proxy_url: url.replace('/cdn/', '/media/'),
      content_type: contentType,
      ...(dims ? { width: dims.width, height: dims.height } : {}),
      ...extra,
    };
  }

  findInteraction(idOrToken: string): InteractionState | undefined {
    const byToken = this.interactions.get(idOrToken);
    if (byToken) return byToken;
    for (const i of this.interactions.values()) if (i.id === idOrToken) return i;
    return undefined;
  }

  guildOf(channelId: string): GuildState | undefined {
    const ch = this.channels.get(channelId);
    return ch?.guildId ? this.guilds.find((g) => g.id === ch.guildId) : undefined;
  }
}
