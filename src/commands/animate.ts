import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { claimsOf } from '../services/discord/message-image.js';
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
  .setName('animate')
  .setNameLocalizations({ 'zh-CN': '动画' })
  .setDescription('Turn an image into a short video')
  .setDescriptionLocalizations({ 'zh-CN': '把一张图片变成一段短视频' })
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addAttachmentOption((option) =>
    option
      .setName('image')
      .setNameLocalizations({ 'zh-CN': '图片' })
      .setDescription('The first frame: a JPG, PNG or WebP image up to 10 MB')
      .setDescriptionLocalizations({ 'zh-CN': '视频首帧：JPG、PNG 或 WebP 图片，最大 10 MB' })
      .setRequired(true),
  )
  .addStringOption((option) =>
    option
      .setName('prompt')
      .setNameLocalizations({ 'zh-CN': '提示词' })
      .setDescription('The motion you want to see')
      .setDescriptionLocalizations({ 'zh-CN': '你想看到的动作' })
      .setRequired(true)
      .setMaxLength(6000),
  )
  .addStringOption((option) =>
    option
      .setName('aspect_ratio')
      .setNameLocalizations({ 'zh-CN': '画面比例' })
      .setDescription('Portrait or landscape (default: follows your image)')
      .setDescriptionLocalizations({ 'zh-CN': '竖屏或横屏（默认：跟随图片）' })
      .addChoices(...aspectChoices),
  )
  .addIntegerOption((option) =>
    option
      .setName('duration')
      .setNameLocalizations({ 'zh-CN': '时长' })
      .setDescription('Length of the video in seconds (the choices depend on the model)')
      .setDescriptionLocalizations({ 'zh-CN': '视频时长（秒，可选值取决于模型）' })
      .setAutocomplete(true),
  )
  .addBooleanOption((option) =>
    option
      .setName('remove_watermark')
      .setNameLocalizations({ 'zh-CN': '去除水印' })
      .setDescription('Remove the watermark from the video (default: yes)')
      .setDescriptionLocalizations({ 'zh-CN': '去除视频水印（默认：是）' }),
  );

builder
  .addStringOption((option) =>
    option
      .setName('model')
      .setNameLocalizations({ 'zh-CN': '模型' })
      .setDescription('Which video model to use (default: the server’s)')
      .setDescriptionLocalizations({ 'zh-CN': '使用哪个视频模型（默认：服务器设置）' })
      .setAutocomplete(true),
  )
  .addStringOption((option) =>
    option
      .setName('model_option')
      .setNameLocalizations({ 'zh-CN': '模型选项' })
      .setDescription('Another option of the chosen model, like resolution or mode')
      .setDescriptionLocalizations({ 'zh-CN': '所选模型的其他选项，例如分辨率或模式' })
      .setAutocomplete(true),
  )
  .addAttachmentOption((option) =>
    option
      .setName('end_image')
      .setNameLocalizations({ 'zh-CN': '尾帧图片' })
      .setDescription('The last frame: the video ends on this image (models with a last frame only)')
      .setDescriptionLocalizations({ 'zh-CN': '尾帧：视频以这张图片结束（仅支持尾帧的模型）' }),
  )
  .addBooleanOption((option) =>
    option
      .setName('loop')
      .setNameLocalizations({ 'zh-CN': '循环' })
      .setDescription('End on the first image, for a seamless loop (models with a last frame only)')
      .setDescriptionLocalizations({ 'zh-CN': '以第一张图片结尾，形成无缝循环（仅支持尾帧的模型）' }),
  )
  .addBooleanOption((option) =>
    option
      .setName('sound')
      .setNameLocalizations({ 'zh-CN': '声音' })
      .setDescription('With sound or silent (default: the model’s; models with sound only)')
      .setDescriptionLocalizations({ 'zh-CN': '有声或无声（默认按模型；仅支持声音的模型）' }),
  )
  .addStringOption((option) =>
    option
      .setName('camera')
      .setNameLocalizations({ 'zh-CN': '镜头' })
      .setDescription('Keep the camera fixed or let it move (models with a camera lock only)')
      .setDescriptionLocalizations({ 'zh-CN': '固定镜头或允许移动（仅支持锁定镜头的模型）' })
      .setAutocomplete(true),
  )
  .addIntegerOption((option) =>
    option
      .setName('takes')
      .setNameLocalizations({ 'zh-CN': '版本数' })
      .setDescription('How many videos to make at once, 1–4; each counts against the limits (default: 1)')
      .setDescriptionLocalizations({ 'zh-CN': '一次制作几个视频（1–4），每个都计入限额（默认：1）' })
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
