import {
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { memberRoleIds } from '../services/discord/member-roles.js';
import { commandLocalizations, commandText } from '../services/i18n/commands.js';
import { resolveLocale } from '../services/i18n/index.js';
import { renderQuota } from '../services/render/quota-messages.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { Command } from './command.js';

const data = new SlashCommandBuilder()
  .setName(commandText('command.animate-quota.name'))
  .setNameLocalizations(commandLocalizations('command.animate-quota.name'))
  .setDescription(commandText('command.animate-quota.description'))
  .setDescriptionLocalizations(commandLocalizations('command.animate-quota.description'))
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

/** A member's own standing, privately: read through the guardrails, so it is what they enforce. */
export const animateQuotaCommand = {
  data,

  async execute(interaction: ChatInputCommandInteraction, context: BotContext) {
    if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { guildId } = interaction;
    const settings = await context.settings.get(guildId);
    const [usage, active] = await Promise.all([
      context.guardrails.usageOf(settings, {
        guildId,
        userId: interaction.user.id,
        memberRoleIds: memberRoleIds(interaction.member),
      }),
      context.jobs.listActive(guildId),
    ]);
    const own = active
      .filter((job) => job.userId === interaction.user.id)
      .sort((a, b) => a.createdAt - b.createdAt);
    const mine = await Promise.all(own.map(async (job) => ({ job, eta: await context.eta.estimate(job) })));
    const locale = resolveLocale(interaction.locale, interaction.guildLocale);
    await interaction.editReply(
      renderQuota(locale, context.models, {
        usage,
        active,
        mine,
        roleId: settings.limits.allowedRoleId,
        now: Date.now(),
      }),
    );
  },
} satisfies Command;
