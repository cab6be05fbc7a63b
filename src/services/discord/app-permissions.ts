import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { MessageKey } from '../i18n/index.js';
import { translate } from '../i18n/index.js';
import { UserFacingError } from '../user-facing-error.js';

/**
 * What the bot needs in a channel to deliver a video there once the interaction's 15 minutes are
 * over (edit its reply, or post a new message with the file): checked before anything is spent.
 */
const NEEDED: ReadonlyArray<[bigint, MessageKey]> = [
  [PermissionFlagsBits.ViewChannel, 'permission.viewChannel'],
  [PermissionFlagsBits.SendMessages, 'permission.sendMessages'],
  [PermissionFlagsBits.EmbedLinks, 'permission.embedLinks'],
  [PermissionFlagsBits.AttachFiles, 'permission.attachFiles'],
];

/**
 * Refuses, naming each missing permission in the member's language, when the bot's permissions
 * in the channel (Discord's `app_permissions`) lack one it needs. Absent permissions: not checked.
 */
export function requireDeliveryPermissions(
  permissions: Readonly<PermissionsBitField> | null | undefined,
  locale: string,
): void {
  if (!permissions) return;
  const missing = NEEDED.filter(([flag]) => !permissions.has(flag));
  if (missing.length === 0) return;
  const names = missing.map(([, key]) => translate(locale, key)).join(', ');
  throw new UserFacingError('error.missingPermissions', { permissions: names });
}
