import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { claimsOf } from '../services/discord/message-image.js';
import { commandLocalizations, commandText } from '../services/i18n/commands.js';
import { MAX_TAKES } from '../services/jobs/job-record.js';
import { CAMERA_CHOICES, type CameraChoice } from '../services/models/named-options.js';
import { UserFacingError } from '../services/user-facing-error.js';
import { autocompleteAnimate } from './animate-autocomplete.js';
import type { Command } from './command.js';
import { deleteButtons } from './delete-buttons.js';
import { jobButtons } from './job-buttons.js';
import { openJobReply, startOrAsk } from './job-reply.js';
import { aspectChoices } from './option-choices.js';

const IMAGE_FILE_TYPES = ['.jpg', '.jpeg', '.png', '.webp'];

const builder = new SlashCommandBuilder()
  .setName(commandText('command.animate.name'))
  .setNameLocalizations(commandLocalizations('command.animate.name'))
  .setDescription(commandText('command.animate.description'))
  .setDescriptionLocalizations(commandLocalizations('command.animate.description'))
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addAttachmentOption((option) =>
    option
      .setName(commandText('command.animate.option.image.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.image.name'))
      .setDescription(commandText('command.animate.option.image.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.image.description'))
      .setRequired(true),
  )
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate.option.prompt.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.prompt.name'))
      .setDescription(commandText('command.animate.option.prompt.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.prompt.description'))
      .setRequired(true)
      .setMaxLength(6000),
  )
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate.option.aspect_ratio.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.aspect_ratio.name'))
      .setDescription(commandText('command.animate.option.aspect_ratio.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.aspect_ratio.description'))
      .addChoices(...aspectChoices),
  )
  .addIntegerOption((option) =>
    option
      .setName(commandText('command.animate.option.duration.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.duration.name'))
      .setDescription(commandText('command.animate.option.duration.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.duration.description'))
      .setAutocomplete(true),
  )
  .addBooleanOption((option) =>
    option
      .setName(commandText('command.animate.option.remove_watermark.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.remove_watermark.name'))
      .setDescription(commandText('command.animate.option.remove_watermark.description'))
      .setDescriptionLocalizations(
        commandLocalizations('command.animate.option.remove_watermark.description'),
      ),
  );

builder
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate.option.model.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.model.name'))
      .setDescription(commandText('command.animate.option.model.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.model.description'))
      .setAutocomplete(true),
  )
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate.option.model_option.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.model_option.name'))
      .setDescription(commandText('command.animate.option.model_option.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.model_option.description'))
      .setAutocomplete(true),
  )
  .addAttachmentOption((option) =>
    option
      .setName(commandText('command.animate.option.end_image.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.end_image.name'))
      .setDescription(commandText('command.animate.option.end_image.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.end_image.description')),
  )
  .addBooleanOption((option) =>
    option
      .setName(commandText('command.animate.option.loop.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.loop.name'))
      .setDescription(commandText('command.animate.option.loop.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.loop.description')),
  )
  .addBooleanOption((option) =>
    option
      .setName(commandText('command.animate.option.sound.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.sound.name'))
      .setDescription(commandText('command.animate.option.sound.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.sound.description')),
  )
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate.option.camera.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.camera.name'))
      .setDescription(commandText('command.animate.option.camera.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.camera.description'))
      .setAutocomplete(true),
  )
  .addIntegerOption((option) =>
    option
      .setName(commandText('command.animate.option.takes.name'))
      .setNameLocalizations(commandLocalizations('command.animate.option.takes.name'))
      .setDescription(commandText('command.animate.option.takes.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate.option.takes.description'))
      .setMinValue(1)
      .setMaxValue(MAX_TAKES),
  );

const json = builder.toJSON();

/** Discord checks choices, but a forged interaction may not: anything else is refused by name. */
function aspectOption(value: string | null): 'portrait' | 'landscape' | null {
  if (value === null || value === 'portrait' || value === 'landscape') return value;
  throw new UserFacingError('error.badOptions');
}

/** `camera` comes from autocomplete, so anything may be typed: only its two values are taken. */
function cameraOption(value: string | null): CameraChoice | null {
  if (value === null) return null;
  const choice = CAMERA_CHOICES.find((camera) => camera === value.trim().toLowerCase());
  if (!choice) throw new UserFacingError('error.badOptions');
  return choice;
}

export const animateCommand = {
  // Discord's attachment `file_types` (August 2026) is newer than the builders' types.
  data: {
    ...json,
    options: json.options?.map((option) =>
      option.name === 'image' || option.name === 'end_image'
        ? ({ ...option, file_types: IMAGE_FILE_TYPES } as typeof option)
        : option,
    ),
  },

  async execute(interaction: ChatInputCommandInteraction, context: BotContext) {
    // Read before the defer: a malformed interaction is refused before anything is noted.
    const { options } = interaction;
    const attachment = options.getAttachment('image', true);
    const endAttachment = options.getAttachment('end_image');
    const camera = cameraOption(options.getString('camera'));
    const reply = await openJobReply(interaction, context);
    await startOrAsk(context, reply, () =>
      context.submitter.submit({
        ...reply,
        attachment: claimsOf(attachment),
        endAttachment: endAttachment && claimsOf(endAttachment),
        loop: options.getBoolean('loop'),
        sound: options.getBoolean('sound'),
        camera,
        prompt: interaction.options.getString('prompt', true),
        aspectRatio: aspectOption(interaction.options.getString('aspect_ratio')),
        durationSeconds: interaction.options.getInteger('duration'),
        removeWatermark: interaction.options.getBoolean('remove_watermark'),
        modelOption: interaction.options.getString('model_option'),
        model: interaction.options.getString('model'),
        takes: interaction.options.getInteger('takes'),
      }),
    );
  },
  autocomplete: autocompleteAnimate,
  components: [...jobButtons, ...deleteButtons],
} satisfies Command;
