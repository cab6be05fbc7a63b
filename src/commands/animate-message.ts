import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { requireDeliveryPermissions } from '../services/discord/app-permissions.js';
import { firstImageOf } from '../services/discord/message-image.js';
import { commandLocalizations, commandText } from '../services/i18n/commands.js';
import { MessageForms } from '../services/jobs/message-forms.js';
import { ANIMATE_FORM, animateForm, FORM_FIELDS, readAnimateForm } from '../services/render/animate-form.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { ComponentHandler, MessageCommand } from './command.js';
import { openJobReply, startOrAsk } from './job-reply.js';

const data = new ContextMenuCommandBuilder()
  .setName(commandText('command.animate-message.name'))
  .setNameLocalizations(commandLocalizations('command.animate-message.name'))
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON() as RESTPostAPIContextMenuApplicationCommandsJSONBody;

/**
 * The filled-in form: the image Animate took is read back from the store, and the job goes the
 * way of `/animate` (checks, limits, estimate and confirmation, progress, delivery). The image
 * is downloaded and re-hosted on Kie at once, before its Discord link expires.
 */
const animateFormSubmit: ComponentHandler = {
  prefix: ANIMATE_FORM,
  async execute(interaction, context) {
    if (!interaction.isModalSubmit()) throw new UserFacingError('error.unknownComponent');
    const { fields } = interaction;
    // Read before the defer: a malformed answer is refused privately, before anything is noted.
    const asked = readAnimateForm(context.models, {
      prompt: fields.getTextInputValue(FORM_FIELDS.prompt),
      model: fields.getStringSelectValues(FORM_FIELDS.model),
      duration: fields.getTextInputValue(FORM_FIELDS.duration),
      shape: fields.getStringSelectValues(FORM_FIELDS.shape),
      extras: fields.getStringSelectValues(FORM_FIELDS.extras),
    });
    const formId = interaction.customId.split(':')[1] ?? '';
    const reply = await openJobReply(interaction, context);
    await startOrAsk(context, reply, async () => {
      const form = await context.forms.take(reply.guildId, formId, reply.userId);
      if (!form) return { kind: 'refused', error: new UserFacingError('animateMessage.expired') };
      return context.submitter.submit({ ...reply, ...asked, attachment: form.image, modelOption: null });
    });
  },
};

/**
 * Apps → Animate on any message: takes the message's first image and opens a form for the
 * prompt and the main options. A message without an image is told so privately, and nothing
 * is noted or spent.
 */
export const animateMessageCommand = {
  data,
  async executeOnMessage(interaction, context) {
    if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
    // Before the form: a channel the bot could not deliver to is refused before the member types.
    requireDeliveryPermissions(interaction.appPermissions, interaction.locale);
    const image = firstImageOf(interaction.targetMessage);
    if (!image) throw new UserFacingError('animateMessage.noImage');
    const formId = MessageForms.newId();
    // Saved while the form opens (it must open within 3 s); the member needs longer to fill it in.
    const saved = context.forms
      .save(formId, { guildId: interaction.guildId, userId: interaction.user.id, image })
      .catch((error: unknown) =>
        context.logger.error({ err: error, guildId: interaction.guildId }, 'could not keep an Animate form'),
      );
    await interaction.showModal(animateForm(context.models, interaction.locale, formId));
    await saved;
  },
  components: [animateFormSubmit],
} satisfies MessageCommand;
