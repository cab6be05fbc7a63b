import type { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { ChannelAccess, GuildView } from '../discord/guild-view.js';
import { discordCode, discordStatus } from '../discord/reply-editor.js';
import { type Locale, resolveLocale } from '../i18n/index.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ModerationAudit, ModerationEvent } from '../moderation/moderation.js';
import {
  type AdminChange,
  type AuditEmbed,
  auditBody,
  renderAdminChange,
  renderJobEnded,
  renderModeration,
} from '../render/audit-messages.js';
import type { LogChannel, SettingsStore } from '../settings/settings-store.js';
import { KeyedMutex } from '../store/keyed-mutex.js';

export interface AuditLogDeps {
  rest: Pick<REST, 'post'>;
  settings: SettingsStore;
  models: ModelRegistry;
  guilds: GuildView;
  logger: Logger;
  now?: () => number;
}

/** After Discord refused a post (403/404), the channel is tried again this long after, once. */
export const REFUSED_PAUSE_MS = 60 * 60_000;
/** Posts waiting per server; more are dropped (and logged) rather than held without bound. */
const MAX_WAITING = 50;

/** What setting the channel found: the access the bot has there, and the channel it replaced. */
export interface ChannelSet {
  before: string | null;
  access: ChannelAccess;
}

/**
 * The server's audit log channel: one message per finished job, per admin change and per
 * blocklist refusal, in the server's language. Posting never holds up its caller: each post is
 * queued per server (in order, through @discordjs/rest's rate-limit queue), and any failure is
 * logged (status and code only). Missing permissions (from the gateway cache) skip the post
 * without a request; a 403/404 is remembered in the settings for status and pauses the channel.
 */
export class AuditLog implements ModerationAudit {
  readonly #deps: AuditLogDeps;
  readonly #now: () => number;
  readonly #queue = new KeyedMutex();
  readonly #waiting = new Map<string, number>();

  constructor(deps: AuditLogDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** A job reached its end (JobStore's ended hook). */
  noteJobEnded(job: JobRecord): void {
    this.#enqueue(job.guildId, (locale) => renderJobEnded(locale, job, this.#deps.models));
  }

  /** An admin changed the setup. */
  noteChange(guildId: string, userId: string, change: AdminChange): void {
    const at = this.#now();
    this.#enqueue(guildId, (locale) => renderAdminChange(locale, userId, change, at));
  }

  /** Moderation's hook: a prompt the blocklist refused, or a change of the blocklist. */
  note(event: ModerationEvent): void {
    const at = this.#now();
    this.#enqueue(event.guildId, (locale) => renderModeration(locale, event, at));
  }

  /**
   * Any other notice for the server's admins (e.g. the budget's 80 % warning), rendered in the
   * server's language. Dropped quietly when the server has no audit log channel.
   */
  postNotice(guildId: string, render: (locale: Locale) => AuditEmbed): void {
    this.#enqueue(guildId, render);
  }

  /** Whether the server posts an audit log (so a caller can fall back to /animate-setup status). */
  async isOn(guildId: string): Promise<boolean> {
    return (await this.#deps.settings.get(guildId)).logChannel !== null;
  }

  access(guildId: string, channelId: string): ChannelAccess {
    return this.#deps.guilds.access(guildId, channelId);
  }

  /**
   * Sets the channel (null: off), forgetting any refusal remembered for the previous one, and
   * logs the change: in the new channel, or in the old one when turned off.
   */
  async setChannel(guildId: string, channelId: string | null, by: string): Promise<ChannelSet> {
    let before: LogChannel | null = null;
    await this.#deps.settings.update(guildId, (current) => {
      before = current.logChannel;
      const logChannel = channelId ? { channelId, setBy: by, setAt: this.#now(), refused: null } : null;
      return { ...current, logChannel };
    });
    const from = (before as LogChannel | null)?.channelId ?? null;
    this.#deps.logger.info({ guildId, by, on: channelId !== null }, 'audit log channel changed');
    if (from !== null || channelId !== null) {
      const change: AdminChange = { kind: 'log-channel', from, to: channelId };
      const at = this.#now();
      const render = (locale: Locale) => renderAdminChange(locale, by, change, at);
      if (channelId === null && before) this.#enqueue(guildId, render, before);
      else this.#enqueue(guildId, render);
    }
    return { before: from, access: channelId ? this.access(guildId, channelId) : { kind: 'ok' } };
  }

  #enqueue(guildId: string, render: (locale: Locale) => AuditEmbed | undefined, target?: LogChannel): void {
    const waiting = this.#waiting.get(guildId) ?? 0;
    if (waiting >= MAX_WAITING) {
      this.#deps.logger.warn({ guildId, waiting }, 'audit log backlog full; a message was dropped');
      return;
    }
    this.#waiting.set(guildId, waiting + 1);
    void this.#queue
      .run(guildId, () => this.#post(guildId, render, target))
      .catch((error: unknown) =>
        this.#deps.logger.warn({ guildId, err: errorName(error) }, 'audit log message not posted'),
      )
      .finally(() => {
        const left = (this.#waiting.get(guildId) ?? 1) - 1;
        if (left > 0) this.#waiting.set(guildId, left);
        else this.#waiting.delete(guildId);
      });
  }

  async #post(
    guildId: string,
    render: (locale: Locale) => AuditEmbed | undefined,
    target?: LogChannel,
  ): Promise<void> {
    const { settings, guilds, rest, logger } = this.#deps;
    const channel = target ?? (await settings.get(guildId)).logChannel;
    if (!channel) return;
    if (channel.refused && this.#now() - channel.refused.at < REFUSED_PAUSE_MS) return;
    const access = guilds.access(guildId, channel.channelId);
    // The cache says the post would be refused: no request (403s count towards Discord's ban).
    if (access.kind === 'missing' || access.kind === 'unknown-channel') {
      logger.debug({ guildId, access: access.kind }, 'audit log channel not usable; message skipped');
      return;
    }
    const embed = render(resolveLocale(guilds.locale(guildId)));
    if (!embed) return;
    try {
      await rest.post(Routes.channelMessages(channel.channelId), { body: auditBody(embed) });
    } catch (error) {
      const status = discordStatus(error);
      if (status !== 403 && status !== 404) throw error;
      const refused = { status, code: discordCode(error) ?? null, at: this.#now() };
      logger.warn({ guildId, status, code: refused.code }, 'Discord refused an audit log post; paused');
      await this.#remember(guildId, channel.channelId, refused);
      return;
    }
    if (channel.refused) await this.#remember(guildId, channel.channelId, null);
  }

  /** Notes (or clears) a refusal on the channel, unless the admin has moved it meanwhile. */
  async #remember(guildId: string, channelId: string, refused: LogChannel['refused']): Promise<void> {
    await this.#deps.settings.update(guildId, (current) =>
      current.logChannel?.channelId === channelId
        ? { ...current, logChannel: { ...current.logChannel, refused } }
        : current,
    );
  }
}

/** An error's name and Discord status/code, for a log line that carries no request body or URL. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const status = discordStatus(error);
  return status === undefined ? error.name : `${error.name} ${status} ${discordCode(error) ?? ''}`.trim();
}
