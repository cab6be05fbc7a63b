import type { AuditPermission, ChannelAccess } from '../discord/guild-view.js';
import { translate } from '../i18n/index.js';
import type { LogChannel } from '../settings/settings-store.js';
import type { AuditField } from './audit-messages.js';

function permissionList(locale: string, missing: readonly AuditPermission[]): string {
  return missing.map((name) => translate(locale, `audit.perm.${name}`)).join(', ');
}

/**
 * The audit log line of /animate-setup status: the channel, and why nothing reaches it when the
 * bot's permissions there are missing (live, from the cache) or Discord refused the last post.
 */
export function describeLogChannel(
  locale: string,
  logChannel: LogChannel | null,
  access: ChannelAccess | null,
): string {
  if (!logChannel) return translate(locale, 'audit.status.off');
  const channel = `<#${logChannel.channelId}>`;
  if (access?.kind === 'missing')
    return translate(locale, 'audit.status.missing', {
      channel,
      missing: permissionList(locale, access.missing),
    });
  if (access?.kind === 'unknown-channel') return translate(locale, 'audit.status.gone', { channel });
  if (logChannel.refused)
    return translate(locale, 'audit.status.refused', {
      channel,
      status: logChannel.refused.status,
      code: logChannel.refused.code ?? '—',
      when: `<t:${Math.floor(logChannel.refused.at / 1000)}:R>`,
    });
  return translate(locale, 'audit.status.ok', { channel });
}

/** The status embed's audit log field. */
export function logChannelField(
  locale: string,
  logChannel: LogChannel | null,
  access: ChannelAccess | null,
): AuditField {
  return {
    name: translate(locale, 'audit.status.field'),
    value: describeLogChannel(locale, logChannel, access),
  };
}

/** The admin's answer to setting the channel: saved, and what the bot lacks there if anything. */
export function renderChannelSet(
  locale: string,
  channelId: string | null,
  set: { before: string | null; access: ChannelAccess },
): string {
  if (channelId === null)
    return set.before === null
      ? translate(locale, 'audit.setup.alreadyOff')
      : translate(locale, 'audit.setup.off', { channel: `<#${set.before}>` });
  const channel = `<#${channelId}>`;
  switch (set.access.kind) {
    case 'missing':
      return translate(locale, 'audit.setup.savedMissing', {
        channel,
        missing: permissionList(locale, set.access.missing),
      });
    case 'unknown-channel':
    case 'unchecked':
      return translate(locale, 'audit.setup.savedUnchecked', { channel });
    default:
      return translate(locale, 'audit.setup.saved', { channel });
  }
}
