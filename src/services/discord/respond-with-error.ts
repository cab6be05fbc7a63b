import { randomBytes } from 'node:crypto';
import { type Interaction, MessageFlags } from 'discord.js';
import type { Logger } from 'pino';
import { translate } from '../i18n/index.js';
import { UserFacingError } from '../user-facing-error.js';

/**
 * The one way an error reaches a member: their language, whether the interaction was deferred,
 * replied to or neither. A UserFacingError says what to do; anything else gets a reference id
 * that matches the logged error.
 */
export async function respondWithError(
  interaction: Interaction,
  error: unknown,
  logger: Logger,
): Promise<void> {
  let content: string;
  if (error instanceof UserFacingError) {
    content = translate(interaction.locale, error.key, error.params);
    logger.info({ interactionId: interaction.id, reason: error.key }, 'refused with a user-facing error');
  } else {
    const ref = randomBytes(4).toString('hex');
    content = translate(interaction.locale, 'error.generic', { ref });
    logger.error({ err: error, interactionId: interaction.id, ref }, 'interaction failed');
  }
  if (!interaction.isRepliable()) return;
  const payload = { content, embeds: [], components: [], allowedMentions: { parse: [] } };
  try {
    if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
    else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  } catch (replyError) {
    logger.warn(
      { err: replyError, interactionId: interaction.id },
      'could not tell the member about an error',
    );
  }
}
