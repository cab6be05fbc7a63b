import type { BaseInteraction, RepliableInteraction } from 'discord.js';
import type { BotContext } from '../services/bot-context.js';
import { memberRoleIds } from '../services/discord/member-roles.js';
import type { JobRecord } from '../services/jobs/job-record.js';
import type { ReplyContext } from '../services/jobs/submit-job.js';
import { UserFacingError } from '../services/user-facing-error.js';

/**
 * Defers a public reply that will become the job's status, and says who asked and where.
 * Every path that starts a job (the command, Again, Remix, Retry) comes through here.
 */
export async function openJobReply(
  interaction: RepliableInteraction,
  context: BotContext,
): Promise<ReplyContext> {
  await interaction.deferReply();
  context.metrics.observeAck(Date.now() - interaction.createdTimestamp);
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  const reply = await interaction.fetchReply();
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId ?? reply.channelId,
    userId: interaction.user.id,
    locale: interaction.locale,
    applicationId: interaction.applicationId,
    interactionId: interaction.id,
    interactionToken: interaction.token,
    interactionCreatedAt: interaction.createdTimestamp,
    replyMessageId: reply.id,
    memberRoleIds: memberRoleIds(interaction.member),
    attachmentSizeLimit: interaction.attachmentSizeLimit,
  };
}

/** Hands a submitted job to the tracker, then shows its status in the reply. */
export async function followJob(context: BotContext, reply: ReplyContext, job: JobRecord): Promise<void> {
  // Tracked before the status edit: a reply we cannot edit must not leave a paid job untracked.
  context.tracker.track(job, 2_500);
  await context.replies
    .edit(
      {
        applicationId: job.applicationId,
        interactionToken: reply.interactionToken,
        tokenExpiresAt: job.tokenExpiresAt,
        channelId: job.channelId,
        replyMessageId: job.replyMessageId,
      },
      context.messages.progress(job, 'queued'),
    )
    .catch((error: unknown) =>
      context.logger.warn({ err: error, jobId: job.id }, 'could not show the job status'),
    );
}

/** The job a button names, in the guild it was pressed in. */
export async function jobOfButton(context: BotContext, interaction: BaseInteraction, customId: string) {
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  const jobId = customId.split(':')[1] ?? '';
  const job = /^[a-z0-9]{8,32}$/.test(jobId) ? await context.jobs.get(interaction.guildId, jobId) : undefined;
  if (!job) throw new UserFacingError('job.notFound');
  return job;
}
