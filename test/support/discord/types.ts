import type { StandInClock } from './snowflake.js';

export interface StandInOptions {
  /** Bot token expected as `Authorization: Bot <token>` on bot routes and in IDENTIFY. */
  token?: string;
  heartbeatInterval?: number;
  /** How many guilds to create; each gets one text channel. */
  guilds?: number;
  guildPremiumTier?: number;
  /** Permission bits of the bot's managed role (default: view, send, embed, attach, history, app commands). */
  botPermissions?: bigint;
  /**
   * Shard count `GET /gateway/bot` recommends (default 1). With more than one, guild i gets an id
   * on shard i % shards (`(guild_id >> 22) % shards`), so consecutive guilds land on different shards.
   */
  shards?: number;
  /** Further text channels in every guild (e.g. an audit log channel the bot may not post in). */
  channels?: Array<{ name: string; botDeny?: bigint }>;
}

export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  size: number;
  bytes: Buffer;
}

export interface RestLogEntry {
  method: string;
  /** URL-decoded path after `/api/v10` (CDN requests: the full path, starting with `/cdn/`). */
  route: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  json: unknown;
  files: UploadedFile[];
  status: number;
  /** Stand-in clock time when the request arrived. */
  at: number;
}

export interface GatewayFrame {
  dir: 'in' | 'out';
  op: number;
  t?: string;
  d?: unknown;
  at: number;
  /** `[shard_id, num_shards]` of the session the frame belongs to (absent before IDENTIFY/RESUME). */
  shard?: [number, number];
}

export interface GatewaySessionInfo {
  id: string;
  shard: [number, number];
  /** Guild ids this session was sent in READY/GUILD_CREATE: those of its shard. */
  guilds: string[];
  live: boolean;
}

export interface AttachmentPayload {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  width?: number;
  height?: number;
  ephemeral?: boolean;
  description?: string;
  title?: string;
  flags?: number;
}

export interface UserPayload {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

export interface MessageObject {
  id: string;
  type: number;
  channel_id: string;
  author: UserPayload;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: AttachmentPayload[];
  timestamp: string;
  edited_timestamp: string | null;
  flags: number;
  tts: boolean;
  mentions: unknown[];
  mention_roles: string[];
  mention_everyone: boolean;
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
  [key: string]: unknown;
}

export type UserChoice = 'user' | 'admin' | { id: string; permissions?: string };

export interface InteractionContextArgs {
  /** Guild index (default 0). */
  guild?: number;
  user?: UserChoice;
  locale?: string;
  guildLocale?: string;
  /** Bytes; default: the guild's upload limit (10 MiB unless boosted). */
  attachmentSizeLimit?: number;
  /** Snowflake timestamp of the interaction (ms, stand-in clock); default clock.now(). */
  createdAt?: number;
  /** No guild: context 1, `user` instead of `member`, a DM channel. */
  dm?: boolean;
  /**
   * `app_permissions`: the bot's permissions in the channel as Discord computes them (channel
   * overwrites included). Default: @everyone's plus the bot role's.
   */
  appPermissions?: bigint;
}

export interface SlashCommandArgs extends InteractionContextArgs {
  name: string;
  options?: unknown[];
  /** Merged with `resolved.attachments` built from seeded attachments referenced by type-11 options. */
  resolved?: Record<string, unknown>;
  /** Command type (1 chat input, 2 user, 3 message); default 1. */
  commandType?: number;
}

export interface ButtonArgs extends InteractionContextArgs {
  customId: string;
  /** Message the button sits on; default: a new bot message in the channel carrying that button. */
  messageId?: string;
  componentType?: number;
  values?: string[];
}

export interface ModalSubmitArgs extends InteractionContextArgs {
  customId: string;
  /** By custom id: a string answers a text input; an array, a string select (its chosen values). */
  fields: Record<string, string | string[]>;
  /**
   * Each field inside a label component (type 18), as Discord sends the modals that hold select
   * menus; default: text inputs in action rows (selects always come in labels).
   */
  labels?: boolean;
  /** Set when the modal was opened from a component on that message. */
  messageId?: string;
}

export interface MessageCommandArgs extends InteractionContextArgs {
  /** The context-menu command's name, as registered (e.g. `Animate`). */
  name: string;
  /** The message it was used on (from `seedMessage`, or any the stand-in holds). */
  messageId: string;
}

export interface SeedMessageArgs {
  /** Guild index (default 0): the message goes in that guild's channel. */
  guild?: number;
  content?: string;
  /** Files on the message, stored on the stand-in's CDN (not ephemeral). */
  files?: Array<{ name: string; type: string; bytes: Buffer }>;
  embeds?: unknown[];
  /** Author: a member (default), or the user with this id. */
  authorId?: string;
}

export interface AutocompleteArgs extends InteractionContextArgs {
  name: string;
  /** Options as sent; mark the focused one with `focused: true`. */
  options: unknown[];
}

export interface Interaction {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  createdAt: number;
  /** Stand-in clock time the INTERACTION_CREATE was sent (the 3 s deadline starts here). */
  sentAt: number;
  payload: Record<string, unknown>;
}

export interface InterceptReply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** How many requests to answer (default: unlimited until remove()). */
  times?: number;
}

export type RouteMatch = (e: {
  method: string;
  route: string;
  query: Record<string, string>;
  json: unknown;
}) => boolean;

export interface DiscordStandIn {
  restApi: string;
  port: number;
  token: string;
  gatewayUrl: string;
  ids: {
    app: string;
    botUser: string;
    /** `channels`: the further channels (StandInOptions.channels) by name. */
    guilds: Array<{ id: string; channel: string; channels: Record<string, string> }>;
    user: string;
    admin: string;
  };
  log: RestLogEntry[];
  frames: GatewayFrame[];
  violations: string[];
  /** Webhook/callback requests answered 401 50027 because the token had expired. */
  readonly expiredTokenUses: number;
  assertNoViolations(ignore?: RegExp): void;
  waitForRest(pred: (e: RestLogEntry) => boolean, timeoutMs?: number): Promise<RestLogEntry>;
  waitForReady(timeoutMs?: number): Promise<void>;
  seedAttachment(
    name: string,
    contentType: string,
    bytes: Buffer,
    extra?: { width?: number; height?: number; size?: number },
  ): AttachmentPayload;
  sendSlashCommand(args: SlashCommandArgs): Interaction;
  sendButton(args: ButtonArgs): Interaction;
  sendModalSubmit(args: ModalSubmitArgs): Interaction;
  /** A message context-menu command (type 2, `data.type` 3) on a message the stand-in holds. */
  sendMessageCommand(args: MessageCommandArgs): Interaction;
  /** A message someone posted in a guild channel, with files and embeds; returns it as stored. */
  seedMessage(args: SeedMessageArgs): MessageObject;
  /** A URL on the stand-in's CDN serving these bytes (for an embed's image, say). */
  cdnUrl(name: string, type: string, bytes: Buffer): string;
  sendAutocomplete(args: AutocompleteArgs): Interaction;
  /**
   * Dispatches to a gateway session: a payload with `guild_id` goes to the newest session of the
   * guild's shard, anything else to shard 0's (as Discord does with DMs); one shard: the latest session.
   */
  dispatch(t: string, d: unknown): void;
  /** Gateway sessions, oldest first (sessions ended by a non-resumable close are dropped). */
  sessions(): GatewaySessionInfo[];
  /** The shard a guild belongs to for a shard count: `(guild_id >> 22) % shards`. */
  shardOf(guildId: string, shards: number): number;
  sendOp(op: number, d?: unknown): void;
  closeGateway(code: number): void;
  intercept(match: RouteMatch, reply: InterceptReply): { remove(): void };
  rateLimitNext(match: RouteMatch, retryAfterSec: number, opts?: { global?: boolean }): void;
  clock: StandInClock;
  messages: Map<string, MessageObject>;
  original(interaction: Interaction | string): MessageObject | undefined;
  /** The modal shown in answer to an interaction (callback type 9), if any. */
  modal(interaction: Interaction | string): unknown;
  commands: { global: unknown[]; byGuild: Map<string, unknown[]> };
  close(): Promise<void>;
}
