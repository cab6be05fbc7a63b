import {
  ActionRowBuilder,
  type BaseInteraction,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { translate } from '../services/i18n/index.js';
import { unavailableError } from '../services/jobs/model-options.js';
import { logChannelField } from '../services/render/audit-setup-messages.js';
import {
  describeDefaults,
  describeLimits,
  describeUnavailable,
  renderModelAvailability,
  renderSetupStatus,
} from '../services/render/setup-messages.js';
import { WEBHOOK_KEY_MAX, WEBHOOK_KEY_MIN } from '../services/setup/setup-service.js';
import { UserFacingError } from '../services/user-facing-error.js';
import { blocklist } from './animate-setup-blocklist.js';
import { answerUsage, budgetStatusField, saveBudget } from './animate-setup-budget.js';
import { animateSetupData } from './animate-setup-data.js';
import { logChannel } from './animate-setup-log-channel.js';
import type { Command, ComponentHandler } from './command.js';

const KEY_MODAL = 'setup-key';
const KEY_FIELD = 'key';
const REMOVE_BUTTON = 'setup-remove';
const WEBHOOK_MODAL = 'setup-webhook-key';
const WEBHOOK_FIELD = 'webhook-key';
const ephemeral = { flags: MessageFlags.Ephemeral } as const;
const noMentions = { parse: [] };

/**
 * Discord hides the command from non-admins by default, but a server may override that: every
 * setup interaction checks the member's own permissions again.
 */
function requireAdmin(interaction: BaseInteraction): string {
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserFacingError('setup.error.notAdmin');
  }
  return interaction.guildId;
}

/**
 * A one-field modal for a secret. Discord modals cannot mask what is typed, so the value is only
 * ever answered ephemerally, masked.
 */
function secretModal(
  locale: string,
  ids: { modal: string; field: string },
  texts: 'setup.key' | 'setup.webhookKey',
  length: { min?: number; max: number },
): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(ids.field)
    .setLabel(translate(locale, `${texts}.modalLabel`))
    .setPlaceholder(translate(locale, `${texts}.modalPlaceholder`))
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMaxLength(length.max);
  if (length.min !== undefined) input.setMinLength(length.min);
  return new ModalBuilder()
    .setCustomId(ids.modal)
    .setTitle(translate(locale, `${texts}.modalTitle`))
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
}

async function showKeyModal(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.showModal(
    secretModal(interaction.locale, { modal: KEY_MODAL, field: KEY_FIELD }, 'setup.key', { max: 200 }),
  );
}

/** Opens the webhook key modal, or with `remove:true` forgets the stored key (no modal). */
async function webhookKey(interaction: ChatInputCommandInteraction, context: BotContext, guildId: string) {
  const locale = interaction.locale;
  if (interaction.options.getBoolean('remove')) {
    await interaction.deferReply(ephemeral);
    const removed = await context.setup.removeWebhookKey(guildId, interaction.user.id);
    if (removed) context.audit.noteChange(guildId, interaction.user.id, { kind: 'webhook-key-removed' });
    const key = removed ? 'setup.webhookKey.removed' : 'setup.webhookKey.none';
    await interaction.editReply({ content: translate(locale, key) });
    return;
  }
  await interaction.showModal(
    secretModal(locale, { modal: WEBHOOK_MODAL, field: WEBHOOK_FIELD }, 'setup.webhookKey', {
      min: WEBHOOK_KEY_MIN,
      max: WEBHOOK_KEY_MAX,
    }),
  );
}

/**
 * The server's key, to check models against; undefined when none is set or it cannot be opened
 * (the status shows the key's own problem).
 */
async function openKey(context: BotContext, guildId: string): Promise<string | undefined> {
  return context.settings.openKieKey(guildId).catch(() => undefined);
}

async function answerStatus(interaction: ChatInputCommandInteraction, context: BotContext, guildId: string) {
  await interaction.deferReply(ephemeral);
  const status = await context.setup.status(guildId);
  const modelId = status.settings.model ?? context.config.DEFAULT_MODELS[0] ?? '';
  const model = context.models.get(modelId);
  const apiKey = await openKey(context, guildId);
  const rows = apiKey ? await context.availability.availabilityOf(apiKey) : undefined;
  const mark = rows?.find((row) => row.entry.id === modelId)?.mark;
  let modelLine = model?.label ?? modelId;
  if (mark && apiKey) {
    const alternatives = await context.availability.alternatives(modelId, apiKey, 3);
    modelLine += ` — ${translate(interaction.locale, 'models.status.unavailable', {
      until: `<t:${Math.ceil(mark.until / 1000)}:R>`,
      reason: describeUnavailable(interaction.locale, mark),
      models: alternatives.map((entry) => `\`${entry.label}\``).join(', ') || '—',
    })}`;
  }
  const availability = renderModelAvailability(interaction.locale, rows);
  const { logChannel: log } = status.settings;
  const auditField = logChannelField(
    interaction.locale,
    log,
    log && context.audit.access(guildId, log.channelId),
  );
  const budgetField = await budgetStatusField(context, guildId, interaction.locale);
  await interaction.editReply(
    renderSetupStatus(interaction.locale, status, modelLine, availability, [budgetField, auditField]),
  );
}

async function askToRemoveKey(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
) {
  const masked = await context.setup.maskedKey(guildId);
  const locale = interaction.locale;
  if (!masked) {
    await interaction.reply({ ...ephemeral, content: translate(locale, 'setup.removeKey.none') });
    return;
  }
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${REMOVE_BUTTON}:confirm`)
      .setStyle(ButtonStyle.Danger)
      .setLabel(translate(locale, 'setup.removeKey.button')),
    new ButtonBuilder()
      .setCustomId(`${REMOVE_BUTTON}:cancel`)
      .setStyle(ButtonStyle.Secondary)
      .setLabel(translate(locale, 'setup.removeKey.cancelButton')),
  );
  await interaction.reply({
    ...ephemeral,
    content: translate(locale, 'setup.removeKey.confirm', { masked }),
    components: [row],
  });
}

async function saveModel(interaction: ChatInputCommandInteraction, context: BotContext, guildId: string) {
  const model = context.models.get(interaction.options.getString('model', true));
  if (!model)
    throw new UserFacingError('error.unknownModel', { model: interaction.options.getString('model', true) });
  await context.settings.update(guildId, (current) => ({ ...current, model: model.id }));
  context.audit.noteChange(guildId, interaction.user.id, { kind: 'model', model: model.label });
  const locale = interaction.locale;
  const apiKey = await openKey(context, guildId);
  const rows = apiKey ? await context.availability.availabilityOf(apiKey) : undefined;
  const chosen = rows?.find((row) => row.entry.id === model.id);
  const notice =
    chosen?.mark && apiKey
      ? `\n${(await unavailableError(context.availability, model, apiKey)).toLocalised(locale)}`
      : '';
  await interaction.reply({
    ...ephemeral,
    allowedMentions: noMentions,
    content: `${translate(locale, 'models.setup.saved', { model: model.label })}${notice}`,
    embeds: [{ color: 0x5865f2, fields: [renderModelAvailability(locale, rows)] }],
  });
}

async function saveDefaults(interaction: ChatInputCommandInteraction, context: BotContext, guildId: string) {
  const aspect = interaction.options.getString('aspect_ratio');
  const duration = interaction.options.getInteger('duration');
  const watermark = interaction.options.getBoolean('remove_watermark');
  const saved = await context.settings.update(guildId, (current) => ({
    ...current,
    defaults: {
      aspectRatio:
        aspect === null
          ? current.defaults.aspectRatio
          : aspect === 'auto'
            ? null
            : (aspect as 'portrait' | 'landscape'),
      durationSeconds:
        duration === null ? current.defaults.durationSeconds : duration === 0 ? null : duration,
      removeWatermark: watermark ?? current.defaults.removeWatermark,
    },
  }));
  context.audit.noteChange(guildId, interaction.user.id, { kind: 'defaults', defaults: saved.defaults });
  const locale = interaction.locale;
  await interaction.reply({
    ...ephemeral,
    allowedMentions: noMentions,
    content: `${translate(locale, 'setup.defaults.saved')}\n${describeDefaults(locale, saved.defaults)}`,
  });
}

async function saveLimits(interaction: ChatInputCommandInteraction, context: BotContext, guildId: string) {
  const options = interaction.options;
  const maxRunning = options.getInteger('max_running');
  const perDay = options.getInteger('per_member_per_day');
  const cooldown = options.getInteger('cooldown_seconds');
  const role = options.getRole('role');
  const everyone = options.getBoolean('everyone');
  const confirmAbove = options.getInteger('confirm_above_credits');
  const saved = await context.settings.update(guildId, (current) => ({
    ...current,
    limits: {
      maxRunning: maxRunning ?? current.limits.maxRunning,
      perMemberPerDay: perDay === null ? current.limits.perMemberPerDay : perDay === 0 ? null : perDay,
      cooldownSeconds: cooldown ?? current.limits.cooldownSeconds,
      allowedRoleId: everyone ? null : (role?.id ?? current.limits.allowedRoleId),
      confirmAboveCredits:
        confirmAbove === null ? current.limits.confirmAboveCredits : confirmAbove === 0 ? null : confirmAbove,
    },
  }));
  context.audit.noteChange(guildId, interaction.user.id, { kind: 'limits', limits: saved.limits });
  const locale = interaction.locale;
  await interaction.reply({
    ...ephemeral,
    allowedMentions: noMentions,
    content: `${translate(locale, 'setup.limits.saved')}\n${describeLimits(locale, saved.limits)}`,
  });
}

const keyModal: ComponentHandler = {
  prefix: KEY_MODAL,
  async execute(interaction, context) {
    const guildId = requireAdmin(interaction);
    if (!interaction.isModalSubmit()) throw new UserFacingError('error.unknownComponent');
    await interaction.deferReply(ephemeral);
    const saved = await context.setup.saveKey(
      guildId,
      interaction.fields.getTextInputValue(KEY_FIELD),
      interaction.user.id,
    );
    context.audit.noteChange(guildId, interaction.user.id, { kind: 'key-set' });
    const key = saved.credits > 0 ? 'setup.key.saved' : 'setup.key.savedNoCredits';
    await interaction.editReply({ content: translate(interaction.locale, key, { ...saved }) });
    // The new key's model catalog, read now rather than at its first /animate (never throws).
    const apiKey = await openKey(context, guildId);
    if (apiKey) void context.availability.refreshCatalog(apiKey);
  },
};

const webhookKeyModal: ComponentHandler = {
  prefix: WEBHOOK_MODAL,
  async execute(interaction, context) {
    const guildId = requireAdmin(interaction);
    if (!interaction.isModalSubmit()) throw new UserFacingError('error.unknownComponent');
    await interaction.deferReply(ephemeral);
    const saved = await context.setup.saveWebhookKey(
      guildId,
      interaction.fields.getTextInputValue(WEBHOOK_FIELD),
      interaction.user.id,
    );
    context.audit.noteChange(guildId, interaction.user.id, { kind: 'webhook-key-set' });
    const key = saved.used ? 'setup.webhookKey.saved' : 'setup.webhookKey.savedUnused';
    await interaction.editReply({ content: translate(interaction.locale, key, { masked: saved.masked }) });
  },
};

const removeButtons: ComponentHandler = {
  prefix: REMOVE_BUTTON,
  async execute(interaction, context) {
    const guildId = requireAdmin(interaction);
    if (!interaction.isButton()) throw new UserFacingError('error.unknownComponent');
    const confirmed = interaction.customId === `${REMOVE_BUTTON}:confirm`;
    if (confirmed) {
      await context.setup.removeKey(guildId);
      context.audit.noteChange(guildId, interaction.user.id, { kind: 'key-removed' });
    }
    const key = confirmed ? 'setup.removeKey.done' : 'setup.removeKey.cancelled';
    await interaction.update({ content: translate(interaction.locale, key), components: [] });
  },
};

export const animateSetupCommand = {
  data: animateSetupData,
  components: [keyModal, webhookKeyModal, removeButtons],

  async execute(interaction: ChatInputCommandInteraction, context: BotContext) {
    const guildId = requireAdmin(interaction);
    if (interaction.options.getSubcommandGroup() === 'blocklist')
      return blocklist(interaction, context, guildId);
    switch (interaction.options.getSubcommand()) {
      case 'key':
        return showKeyModal(interaction);
      case 'status':
        return answerStatus(interaction, context, guildId);
      case 'remove-key':
        return askToRemoveKey(interaction, context, guildId);
      case 'model':
        return saveModel(interaction, context, guildId);
      case 'defaults':
        return saveDefaults(interaction, context, guildId);
      case 'limits':
        return saveLimits(interaction, context, guildId);
      case 'webhook-key':
        return webhookKey(interaction, context, guildId);
      case 'log-channel':
        return logChannel(interaction, context, guildId);
      case 'budget':
        return saveBudget(interaction, context, guildId);
      case 'usage':
        return answerUsage(interaction, context, guildId);
      default:
        throw new UserFacingError('error.unknownComponent');
    }
  },
} satisfies Command;
