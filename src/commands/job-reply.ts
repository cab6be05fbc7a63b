import type { BaseInteraction, ButtonInteraction, RepliableInteraction } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { requireDeliveryPermissions } from '../services/discord/app-permissions.js';
import { memberRoleIds } from '../services/discord/member-roles.js';
import type { JobRecord } from '../services/jobs/job-record.js';
import { replyTargetOfContext } from '../services/jobs/job-requests.js';
import type { ReplyContext, SubmitOutcome } from '../services/jobs/submit-job.js';
import { confirmationMessage } from '../services/render/confirm-messages.js';
import { settledWithin } from '../services/settled-within.js';
import { UserFacingError } from '../services/user-facing-error.js';

const RECEIPT_WAIT_MS = 250;
/** The longest a command's work waits for the other acks under way (a burst takes a few hundred ms). */
const ACK_QUIET_MAX_MS = 1000;

/**
 * Counts this bot's acks under way. In a burst, a command's work after its ack (store checks,
 * fetching the reply, the image, the Kie upload) waits until no ack is left, so the acks go out
 * first: a late ack is "interaction failed", a late upload costs nothing.
 */
class AckGate {
  #pending = 0;
  #waiting: Array<() => void> = [];

  async ack(send: () => Promise<unknown>): Promise<void> {
    this.#pending += 1;
    try {
      await send();
    } finally {
      this.#pending -= 1;
      if (this.#pending === 0) for (const release of this.#waiting.splice(0)) release();
    }
  }

  /** Resolves once no ack is under way, or after `maxMs`. */
  quiet(maxMs: number): Promise<unknown> {
    if (this.#pending === 0) return Promise.resolve();
    return settledWithin(new Promise<void>((resolve) => this.#waiting.push(resolve)), maxMs);
  }
}

// One gate per bot (its context), without a field in BotContext for a detail of this module.
const gates = new WeakMap<BotContext, AckGate>();
function gateOf(context: BotContext): AckGate {
  const gate = gates.get(context) ?? new AckGate();
  gates.set(context, gate);
  return gate;
}

/**
 * Defers a public reply that will become the job's status, and says who asked and where.
 * Every path that starts a job (the command, Again, Remix, Retry) comes through here.
 */
export async function openJobReply(
  interaction: RepliableInteraction,
  context: BotContext,
): Promise<ReplyContext> {
  // Before the defer: a channel the bot could not deliver to later is refused at once, privately.
  requireDeliveryPermissions(interaction.appPermissions, interaction.locale);
  // Noted as the defer goes out (not after it), so a crash right after the defer is still answered
  // at restart; the defer does not wait for the store, which a burst would queue.
  const note = interaction.inGuild()
    ? context.receipts
        .open(replyContextOf(interaction, { id: null, channelId: interaction.channelId ?? '' }))
        .catch((error: unknown) => context.logger.warn({ err: error }, 'could not note the command'))
    : undefined;
  const gate = gateOf(context);
  await gate.ack(() => interaction.deferReply());
  context.metrics.observeAck(Date.now() - interaction.createdTimestamp);
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  await Promise.all([note ? settledWithin(note, RECEIPT_WAIT_MS) : undefined, gate.quiet(ACK_QUIET_MAX_MS)]);
  try {
    await context.checkStore();
    const reply = await interaction.fetchReply();
    return replyContextOf(interaction, reply);
  } catch (error) {
    // The member is told why right away (not after a store that may be down answers); a restart
    // must not overwrite that answer with "restarted".
    void context.receipts.close(interaction.guildId, interaction.id).catch(() => undefined);
    throw error;
  }
}

/** A button's own message becomes the job's reply (Confirm turns the question into the status). */
export async function takeOverMessage(
  interaction: ButtonInteraction,
  context: BotContext,
): Promise<ReplyContext> {
  requireDeliveryPermissions(interaction.appPermissions, interaction.locale);
  const gate = gateOf(context);
  await gate.ack(() => interaction.deferUpdate());
  context.metrics.observeAck(Date.now() - interaction.createdTimestamp);
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  await gate.quiet(ACK_QUIET_MAX_MS);
  await context.checkStore();
  const reply = replyContextOf(interaction, interaction.message);
  await context.receipts.open(reply);
  return reply;
}

function replyContextOf(
  interaction: RepliableInteraction & { guildId: string },
  reply: { id: string | null; channelId: string },
): ReplyContext {
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

/** Hands a submitted job (or every take) to the tracker, then shows its status in the reply. */
export async function followJob(
  context: BotContext,
  reply: ReplyContext,
  job: JobRecord,
  takes: readonly JobRecord[] = [job],
): Promise<void> {
  // Tracked before the status edit: a reply we cannot edit must not leave a paid job untracked.
  for (const take of takes) context.tracker.track(take, 2_500);
  if (job.take) return context.takes.refresh(job);
  const eta = await context.eta.estimate(job).catch(() => undefined);
  await context.replies
    .edit(replyTargetOfContext(reply), context.messages.progress(job, 'queued', eta))
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

/**
 * Runs a submission and acts on its outcome: a started job is followed; one the member must
 * agree to first (its cost, or another model) turns the reply into a question with buttons, and
 * nothing is spent until then; a refusal is told in the reply.
 */
export async function startOrAsk(
  context: BotContext,
  reply: ReplyContext,
  submit: () => Promise<SubmitOutcome>,
): Promise<void> {
  let outcome: SubmitOutcome;
  try {
    outcome = await submit();
  } finally {
    // Best effort: a store that fails here must not stop a paid job from being followed.
    await context.receipts
      .close(reply.guildId, reply.interactionId)
      .catch((error: unknown) => context.logger.warn({ err: error }, 'could not close the command’s note'));
  }
  if (outcome.kind === 'refused') throw outcome.error;
  if (outcome.kind === 'submitted') return followJob(context, reply, outcome.job, outcome.takes);
  await context.replies.edit(
    replyTargetOfContext(reply),
    confirmationMessage(context.models, reply.locale, outcome),
  );
}
