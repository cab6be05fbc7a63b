import {
  type ChatInputCommandInteraction,
  MessageFlags,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { MAX_RESET_DAY } from '../services/budget/budget-period.js';
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
    .setName('budget')
    .setNameLocalizations({ 'zh-CN': '预算' })
    .setDescription('Cap the credits this server spends per month')
    .setDescriptionLocalizations({ 'zh-CN': '限制本服务器每月花费的积分' })
    .addIntegerOption((option) =>
      option
        .setName('credits')
        .setNameLocalizations({ 'zh-CN': '积分' })
        .setDescription('Credits per month (0 = no budget)')
        .setDescriptionLocalizations({ 'zh-CN': '每月积分（0 = 不设预算）' })
        .setRequired(true)
        .setMinValue(0)
        .setMaxValue(100_000_000),
    )
    .addIntegerOption((option) =>
      option
        .setName('reset_day')
        .setNameLocalizations({ 'zh-CN': '重置日' })
        .setDescription('Day of the month the budget starts again, UTC (1–28, default 1)')
        .setDescriptionLocalizations({ 'zh-CN': '每月预算重新开始的日期，UTC（1–28，默认 1）' })
        .setMinValue(1)
        .setMaxValue(MAX_RESET_DAY),
    );
}

/** `/animate-setup usage [period]`: registration data. */
export function usageSubcommand(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .setName('usage')
    .setNameLocalizations({ 'zh-CN': '用量' })
    .setDescription('Credits per day by model, top members, success rate and time to video')
    .setDescriptionLocalizations({ 'zh-CN': '每日各模型积分、成员排行、成功率和出片时间' })
    .addStringOption((option) =>
      option
        .setName('period')
        .setNameLocalizations({ 'zh-CN': '时段' })
        .setDescription('Which days (default: last 30 days)')
        .setDescriptionLocalizations({ 'zh-CN': '统计哪些天（默认：最近 30 天）' })
        .addChoices(
          { name: 'Last 7 days', name_localizations: { 'zh-CN': '最近 7 天' }, value: '7d' },
          { name: 'Last 30 days', name_localizations: { 'zh-CN': '最近 30 天' }, value: '30d' },
          { name: 'This budget month', name_localizations: { 'zh-CN': '本预算月' }, value: 'month' },
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
