import { type Client, PermissionFlagsBits } from 'discord.js';

/** The permissions the bot needs in the audit log channel (discord.js flag names). */
export const AUDIT_PERMISSIONS = ['ViewChannel', 'SendMessages', 'EmbedLinks'] as const;
export type AuditPermission = (typeof AUDIT_PERMISSIONS)[number];

/** What the bot can post in a channel, as its own cache of the guild says. */
export type ChannelAccess =
  | { kind: 'ok' }
  | { kind: 'missing'; missing: AuditPermission[] }
  /** The guild is cached but the channel is not: deleted, or hidden from the bot. */
  | { kind: 'unknown-channel' }
  /** This process does not hold the guild (another shard's) or the bot's member: not checked. */
  | { kind: 'unchecked' };

/** The bits of the guild the audit log reads from the gateway cache (no REST call). */
export interface GuildView {
  /** The server's preferred locale, when this process knows the guild. */
  locale(guildId: string): string | undefined;
  access(guildId: string, channelId: string): ChannelAccess;
}

/** A GuildView over a discord.js client's cache, kept current by the Guilds intent's events. */
export function clientGuildView(client: Client): GuildView {
  return {
    locale: (guildId) => client.guilds.cache.get(guildId)?.preferredLocale,
    access(guildId, channelId) {
      const guild = client.guilds.cache.get(guildId);
      const me = guild?.members.me;
      if (!guild || !me) return { kind: 'unchecked' };
      const channel = guild.channels.cache.get(channelId);
      if (!channel) return { kind: 'unknown-channel' };
      const permissions = channel.permissionsFor(me);
      const missing = AUDIT_PERMISSIONS.filter((name) => !permissions.has(PermissionFlagsBits[name], true));
      return missing.length === 0 ? { kind: 'ok' } : { kind: 'missing', missing };
    },
  };
}
