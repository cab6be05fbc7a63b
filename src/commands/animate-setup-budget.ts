import {
  type ChatInputCommandInteraction,
  MessageFlags,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { MAX_RESET_DAY } from '../services/budget/budget-period.js';
import { commandLocalizations, commandText, localizedChoice } from '../services/i18n/commands.js';
import { translate } from '../services/i18n/index.js';
import { renderBudgetField } from '../services/render/budget-messages.js';
import { modelLabelOf, renderUsageEmbed, USAGE_CHART_FILE } from '../services/render/usage-messages.js';
import { renderUsageChart } from '../services/usage/usage-chart.js';
import {
  summariseUsage,
  USAGE_PERIODS,
  type UsagePeriod,
  usageWindowOf,
} from '../services/usage/usage-report.js';

const ephemeral = { flags: MessageFlags.Ephemeral } as const;
const noMentions = { parse: [] };

/** `/animate-setup budget credits:<n> [reset_day]`: registration data. */
export function budgetSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .setName(commandText('command.animate-setup.budget.name'))
    .setNameLocalizations(commandLocalizations('command.animate-setup.budget.name'))
    .setDescription(commandText('command.animate-setup.budget.description'))
    .setDescriptionLocalizations(commandLocalizations('command.animate-setup.budget.description'))
    .addIntegerOption((option) =>
      option
        .setName(commandText('command.animate-setup.budget.option.credits.name'))
        .setNameLocalizations(commandLocalizations('command.animate-setup.budget.option.credits.name'))
        .setDescription(commandText('command.animate-setup.budget.option.credits.description'))
        .setDescriptionLocalizations(
          commandLocalizations('command.animate-setup.budget.option.credits.description'),
        )
        .setRequired(true)
        .setMinValue(0)
        .setMaxValue(100_000_000),
    )
    .addIntegerOption((option) =>
      option
        .setName(commandText('command.animate-setup.budget.option.reset_day.name'))
        .setNameLocalizations(commandLocalizations('command.animate-setup.budget.option.reset_day.name'))
        .setDescription(commandText('command.animate-setup.budget.option.reset_day.description'))
        .setDescriptionLocalizations(
          commandLocalizations('command.animate-setup.budget.option.reset_day.description'),
        )
        .setMinValue(1)
        .setMaxValue(MAX_RESET_DAY),
    );
}

/** `/animate-setup usage [period]`: registration data. */
export function usageSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .setName(commandText('command.animate-setup.usage.name'))
    .setNameLocalizations(commandLocalizations('command.animate-setup.usage.name'))
    .setDescription(commandText('command.animate-setup.usage.description'))
    .setDescriptionLocalizations(commandLocalizations('command.animate-setup.usage.description'))
    .addStringOption((option) =>
      option
        .setName(commandText('command.animate-setup.usage.option.period.name'))
        .setNameLocalizations(commandLocalizations('command.animate-setup.usage.option.period.name'))
        .setDescription(commandText('command.animate-setup.usage.option.period.description'))
        .setDescriptionLocalizations(
          commandLocalizations('command.animate-setup.usage.option.period.description'),
        )
        .addChoices(
          localizedChoice('command.animate-setup.usage.option.period.choice.7d', '7d'),
          localizedChoice('command.animate-setup.usage.option.period.choice.30d', '30d'),
          localizedChoice('command.animate-setup.usage.option.period.choice.month', 'month'),
        ),
    );
}

/** Saves the budget and answers with where the server stands; the caller has checked the member is an admin. */
export async function saveBudget(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
): Promise<void> {
  const credits = interaction.options.getInteger('credits', true);
  const resetDay = interaction.options.getInteger('reset_day');
  await interaction.deferReply(ephemeral);
  const saved = await context.settings.update(guildId, (current) => ({
    ...current,
    budget: { credits: credits === 0 ? null : credits, resetDay: resetDay ?? current.budget.resetDay },
  }));
  context.audit.noteChange(guildId, interaction.user.id, { kind: 'budget', ...saved.budget });
  const locale = interaction.locale;
  const standing = await context.ledger.standing(guildId, saved.budget);
  const content =
    saved.budget.credits === null
      ? translate(locale, 'budget.cleared')
      : translate(locale, 'budget.saved', { budget: saved.budget.credits, day: saved.budget.resetDay });
  await interaction.editReply({
    content,
    embeds: [{ color: 0x5865f2, fields: [renderBudgetField(locale, standing)] }],
    allowedMentions: noMentions,
  });
}

/** The usage chart and table, ephemeral; the caller has checked the member is an admin. */
export async function answerUsage(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
): Promise<void> {
  await interaction.deferReply(ephemeral);
  const locale = interaction.locale;
  const asked = interaction.options.getString('period');
  const period: UsagePeriod = USAGE_PERIODS.find((known) => known === asked) ?? '30d';
  const { budget } = await context.settings.get(guildId);
  const window = usageWindowOf(period, Date.now(), budget.resetDay);
  const report = summariseUsage(await context.usage.read(guildId, window.from, window.to), window);
  if (report.totals.jobs === 0) {
    const periodName = translate(locale, `usage.period.${period}`);
    await interaction.editReply({ content: translate(locale, 'usage.empty', { period: periodName }) });
    return;
  }
  const chart = await renderUsageChart(report, locale, modelLabelOf(context.models));
  await interaction.editReply({
    embeds: [renderUsageEmbed(locale, report, context.models)],
    files: [{ attachment: chart, name: USAGE_CHART_FILE, description: translate(locale, 'usage.chart.alt') }],
    allowedMentions: noMentions,
  });
}

/** The budget's field for /animate-setup status. */
export async function budgetStatusField(context: BotContext, guildId: string, locale: string) {
  const { budget } = await context.settings.get(guildId);
  return renderBudgetField(locale, await context.ledger.standing(guildId, budget));
}
