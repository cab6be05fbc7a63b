import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { translate } from '../services/i18n/index.js';
import { extendSourceOf } from '../services/jobs/extend-source.js';
import { jobSourceOf, replyLinkOf } from '../services/jobs/job-requests.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { ComponentHandler } from './command.js';
import { jobOfButton, openJobReply, startOrAsk } from './job-reply.js';

const EXTEND_MODAL = 'extend-modal';
const PROMPT_FIELD = 'prompt';
/** Discord's cap on a modal text input's value. */
const MODAL_TEXT_MAX = 4000;

/**
 * Extend: a form for what happens next (optional), then a new reply with the extension. A video
 * that cannot be extended (its model, the chain's limit) is refused before the form opens.
 */
const extend: ComponentHandler = {
  prefix: 'extend',
  async execute(interaction, context) {
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const source = await jobOfButton(context, interaction, interaction.customId);
    extendSourceOf(context.models, source, '');
    const maxLength = Math.min(
      MODAL_TEXT_MAX,
      context.models.get(source.model)?.prompt.maxLength ?? MODAL_TEXT_MAX,
    );
    const input = new TextInputBuilder()
      .setCustomId(PROMPT_FIELD)
      .setLabel(translate(interaction.locale, 'extend.modalLabel'))
      .setPlaceholder(translate(interaction.locale, 'extend.modalPlaceholder'))
      .setStyle(TextInputStyle.Paragraph)
      .setRequired(false)
      .setMaxLength(maxLength);
    await interaction.showModal(
      new ModalBuilder()
        .setCustomId(`${EXTEND_MODAL}:${source.id}`)
        .setTitle(translate(interaction.locale, 'extend.modalTitle'))
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
    );
  },
};

const extendModal: ComponentHandler = {
  prefix: EXTEND_MODAL,
  async execute(interaction, context) {
    if (!interaction.isModalSubmit()) throw new UserFacingError('error.unknownComponent');
    const parent = await jobOfButton(context, interaction, interaction.customId);
    const source = extendSourceOf(context.models, parent, interaction.fields.getTextInputValue(PROMPT_FIELD));
    const reply = await openJobReply(interaction, context);
    await startOrAsk(context, reply, () => context.submitter.repeat({ ...reply, source }));
  },
};

/**
 * "Try another model": the video's image, prompt and options on the model picked, in a new reply
 * linked to this one; options the model cannot honour are mapped as for a server default. Open to
 * every member, like Again: the presser's own limits apply.
 */
const tryModel: ComponentHandler = {
  prefix: 'try-model',
  async execute(interaction, context) {
    if (!interaction.isStringSelectMenu()) throw new UserFacingError('error.unknownComponent');
    const job = await jobOfButton(context, interaction, interaction.customId);
    const model = context.models.get(interaction.values[0] ?? '');
    if (!model) throw new UserFacingError('error.unknownComponent');
    if (model.id === job.model) throw new UserFacingError('tryModel.same', { model: model.label });
    const reply = await openJobReply(interaction, context);
    await startOrAsk(context, reply, () =>
      context.submitter.repeat({
        ...reply,
        source: { ...jobSourceOf(job), extend: null, parentReply: replyLinkOf(job) },
        model: model.id,
      }),
    );
  },
};

/** Extend, its form, and "Try another model", on finished videos. */
export const videoActions: readonly ComponentHandler[] = [extend, extendModal, tryModel];
