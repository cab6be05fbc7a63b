import {
  ActionRowBuilder,
  type ButtonInteraction,
  type MessageComponentInteraction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { translate } from '../services/i18n/index.js';
import { sourceOfDraft } from '../services/jobs/draft-store.js';
import { isTerminal, type JobRecord, type JobStatus } from '../services/jobs/job-record.js';
import { jobSourceOf } from '../services/jobs/job-requests.js';
import { cancelledMessage } from '../services/render/job-messages.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { ComponentHandler } from './command.js';
import { jobOfButton, openJobReply, startOrAsk, takeOverMessage } from './job-reply.js';
import { videoActions } from './video-actions.js';

const REMIX_MODAL = 'remix-modal';
const UNFINISHED: readonly JobStatus[] = ['pending', 'submitted', 'running', 'delivering'];
const PROMPT_FIELD = 'prompt';
/** Discord's cap on a modal text input's value. */
const MODAL_TEXT_MAX = 4000;

/** Retry and Cancel belong to the job's owner; a server admin may cancel (or delete) any job. */
export function requireOwner(
  interaction: MessageComponentInteraction,
  job: JobRecord,
  allowAdmin: boolean,
): void {
  if (interaction.user.id === job.userId) return;
  if (allowAdmin && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return;
  throw new UserFacingError(allowAdmin ? 'job.notYours' : 'job.notYoursRetry', { owner: `<@${job.userId}>` });
}

/** A new job from this one, in a new reply; the presser's own limits apply. */
async function repeatJob(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  context: BotContext,
  source: JobRecord,
  prompt?: string,
) {
  const reply = await openJobReply(interaction, context);
  await startOrAsk(context, reply, () =>
    context.submitter.repeat({
      ...reply,
      source: jobSourceOf(source),
      ...(prompt === undefined ? {} : { prompt }),
    }),
  );
}

/**
 * Again and Remix are open to every member, each paying from their own quota: a server shares
 * its videos, and the limits (not the button) decide who may spend. Retry is the owner's.
 */
const again: ComponentHandler = {
  prefix: 'again',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    await repeatJob(interaction, context, await jobOfButton(context, interaction, interaction.customId));
  },
};

const retry: ComponentHandler = {
  prefix: 'retry',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const source = await jobOfButton(context, interaction, interaction.customId);
    requireOwner(interaction, source, false);
    await repeatJob(interaction, context, source);
  },
};

const remix: ComponentHandler = {
  prefix: 'remix',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const source = await jobOfButton(context, interaction, interaction.customId);
    const input = new TextInputBuilder()
      .setCustomId(PROMPT_FIELD)
      .setLabel(translate(interaction.locale, 'remix.modalLabel'))
      .setStyle(TextInputStyle.Paragraph)
      .setRequired(true)
      .setMaxLength(MODAL_TEXT_MAX)
      .setValue(source.options.prompt.slice(0, MODAL_TEXT_MAX));
    await interaction.showModal(
      new ModalBuilder()
        .setCustomId(`${REMIX_MODAL}:${source.id}`)
        .setTitle(translate(interaction.locale, 'remix.modalTitle'))
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
    );
  },
};

const remixModal: ComponentHandler = {
  prefix: REMIX_MODAL,
  async execute(interaction, context) {
    if (!interaction.isModalSubmit()) throw new UserFacingError('error.unknownComponent');
    const source = await jobOfButton(context, interaction, interaction.customId);
    await repeatJob(interaction, context, source, interaction.fields.getTextInputValue(PROMPT_FIELD));
  },
};

/** Kie has no cancel call: cancelling stops tracking and says honestly that credits may still go. */
const cancel: ComponentHandler = {
  prefix: 'cancel',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const job = await jobOfButton(context, interaction, interaction.customId);
    requireOwner(interaction, job, true);
    if (isTerminal(job)) throw new UserFacingError('job.alreadyEnded');
    // A step finishing meanwhile (the video found, the job failed) wins: then nothing is cancelled.
    const cancelled = await context.jobs.transition(job, UNFINISHED, (current) => ({
      ...current,
      status: 'cancelled',
      taskId: 'taskId' in current ? current.taskId : null,
      endedAt: Date.now(),
    }));
    if (!cancelled.ok) throw new UserFacingError('job.alreadyEnded');
    context.tracker.untrack(job);
    context.logger.info({ guildId: job.guildId, jobId: job.id, by: interaction.user.id }, 'job cancelled');
    // One take of several: the shared reply shows it cancelled and the others as they are.
    if (cancelled.job.take) {
      await interaction.deferUpdate();
      return context.takes.refresh(cancelled.job);
    }
    const body = cancelledMessage(job);
    await interaction.update({ content: String(body.content), embeds: [], components: [] });
  },
};

/**
 * A video that was made but could not be delivered (Discord or the download failed for hours):
 * its owner may ask for another round of delivery attempts; nothing is made or paid again.
 */
const redeliver: ComponentHandler = {
  prefix: 'redeliver',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const job = await jobOfButton(context, interaction, interaction.customId);
    if (interaction.user.id !== job.userId)
      throw new UserFacingError('job.notYoursRedeliver', { owner: `<@${job.userId}>` });
    const now = Date.now();
    const moved = await context.jobs.transition(job, 'failed', (current) => {
      if (current.resultUrl === null || current.taskId === null) return current;
      return {
        ...current,
        status: 'delivering',
        taskId: current.taskId,
        submittedAt: current.createdAt,
        resultUrl: current.resultUrl,
        completedAt: null,
        deliveryStartedAt: now,
        deliveryAttempts: 0,
      };
    });
    if (!moved.ok || moved.job.status !== 'delivering') throw new UserFacingError('job.alreadyEnded');
    context.tracker.track(moved.job, 0);
    await interaction.reply({
      content: translate(interaction.locale, 'job.redelivering'),
      flags: MessageFlags.Ephemeral,
    });
  },
};

/**
 * Kie's result URL dies after about a day, so "Open video" asks Kie for a fresh link and answers
 * privately. Anyone who can see the video may press it: it spends nothing.
 */
const open: ComponentHandler = {
  prefix: 'open',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const job = await jobOfButton(context, interaction, interaction.customId);
    if (job.resultUrl === null) throw new UserFacingError('video.none');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const link = await context.videoLinks.linkTo(job);
    await interaction.editReply({
      content: link.fresh
        ? translate(interaction.locale, 'video.freshLink', {
            url: link.url,
            minutes: Math.max(1, Math.floor((link.expiresAt - Date.now()) / 60_000)),
            until: `<t:${Math.floor(link.expiresAt / 1000)}:t>`,
          })
        : translate(interaction.locale, 'video.staleLink', { url: link.url }),
      allowedMentions: { parse: [] },
    });
  },
};

/** The draft a Confirm / Cancel button names, if it is still waiting and the presser owns it. */
async function draftOfButton(interaction: ButtonInteraction, context: BotContext) {
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  const draftId = interaction.customId.split(':')[1] ?? '';
  const draft = /^[a-z0-9]{8,32}$/.test(draftId)
    ? await context.drafts.peek(interaction.guildId, draftId)
    : undefined;
  if (!draft) throw new UserFacingError('confirm.expired');
  if (draft.userId !== interaction.user.id)
    throw new UserFacingError('job.notYoursRetry', { owner: `<@${draft.userId}>` });
  await context.drafts.take(interaction.guildId, draftId);
  return draft;
}

const confirm: ComponentHandler = {
  prefix: 'confirm',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const draft = await draftOfButton(interaction, context);
    const reply = await takeOverMessage(interaction, context);
    await startOrAsk(context, reply, () =>
      context.submitter.repeat({
        ...reply,
        source: sourceOfDraft(draft),
        confirmedUpTo: draft.estimate ?? Number.POSITIVE_INFINITY,
      }),
    );
  },
};

const confirmNo: ComponentHandler = {
  prefix: 'confirm-no',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    await draftOfButton(interaction, context);
    await interaction.update({
      content: translate(interaction.locale, 'confirm.cancelled'),
      embeds: [],
      components: [],
    });
  },
};

export const jobButtons: readonly ComponentHandler[] = [
  again,
  retry,
  remix,
  remixModal,
  cancel,
  redeliver,
  open,
  confirm,
  confirmNo,
  ...videoActions,
];
