import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type MessageComponentInteraction,
  MessageFlags,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { discordCode } from '../services/discord/reply-editor.js';
import { translate } from '../services/i18n/index.js';
import type { JobRecord } from '../services/jobs/job-record.js';
import { replyTargetOf } from '../services/jobs/job-requests.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { ComponentHandler } from './command.js';
import { requireOwner } from './job-buttons.js';
import { jobOfButton } from './job-reply.js';

const YES = 'delete-yes';
const NO = 'delete-no';
const SNOWFLAKE = /^\d{15,21}$/;

/** The finished job a Delete button names, if the presser may delete it (its owner, or an admin). */
async function deletableJob(
  interaction: MessageComponentInteraction,
  context: BotContext,
): Promise<JobRecord> {
  const job = await jobOfButton(context, interaction, interaction.customId);
  requireOwner(interaction, job, true);
  if (job.status !== 'delivered') throw new UserFacingError('delete.notDelivered');
  return job;
}

/**
 * The message to delete must be the job's own: its reply, or the message the video was posted
 * in when the reply could not carry it (its id is the message the button was on).
 */
function isJobMessage(job: JobRecord, messageId: string): boolean {
  if (!SNOWFLAKE.test(messageId)) return false;
  return (
    messageId === job.replyMessageId || (job.status === 'delivered' && job.deliveredVia === 'channel-message')
  );
}

/** Delete on a finished video: asks its owner (or an admin) privately before anything is removed. */
const ask: ComponentHandler = {
  prefix: 'delete',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const job = await deletableJob(interaction, context);
    const locale = interaction.locale;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(`${YES}:${job.id}:${interaction.message.id}`)
        .setStyle(ButtonStyle.Danger)
        .setLabel(translate(locale, 'delete.confirmButton')),
      new ButtonBuilder()
        .setCustomId(NO)
        .setStyle(ButtonStyle.Secondary)
        .setLabel(translate(locale, 'delete.keepButton')),
    );
    await interaction.reply({
      flags: MessageFlags.Ephemeral,
      content: translate(locale, 'delete.confirm'),
      components: [row],
    });
  },
};

const confirm: ComponentHandler = {
  prefix: YES,
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    // Checked again: an admin may have lost the permission since the question was asked.
    const job = await deletableJob(interaction, context);
    const messageId = interaction.customId.split(':')[2] ?? '';
    if (!isJobMessage(job, messageId)) throw new UserFacingError('error.unknownComponent');
    await interaction.deferUpdate();
    try {
      await context.replies.remove(replyTargetOf(job, context.box), messageId);
    } catch (error) {
      const code = discordCode(error);
      context.logger.warn({ err: error, guildId: job.guildId, jobId: job.id }, 'could not delete the video');
      throw new UserFacingError('delete.failed', {
        reason: code === undefined ? 'network error' : `code ${code}`,
      });
    }
    context.logger.info(
      {
        guildId: job.guildId,
        jobId: job.id,
        by: interaction.user.id,
        owner: interaction.user.id === job.userId,
      },
      'video message deleted',
    );
    await interaction.editReply({ content: translate(interaction.locale, 'delete.done'), components: [] });
  },
};

const keep: ComponentHandler = {
  prefix: NO,
  async execute(interaction) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    await interaction.update({ content: translate(interaction.locale, 'delete.kept'), components: [] });
  },
};

/** The Delete button of a finished video and its confirmation. */
export const deleteButtons: readonly ComponentHandler[] = [ask, confirm, keep];
