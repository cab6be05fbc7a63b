import {
  ApplicationIntegrationType,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { resolveLocale } from '../services/i18n/index.js';
import type { JobRecord } from '../services/jobs/job-record.js';
import { RECENT_JOBS_CAP } from '../services/jobs/job-store.js';
import {
  JOBS_PAGE_PREFIX,
  type JobsScope,
  parseJobsPageId,
  renderJobsList,
} from '../services/render/jobs-list.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { Command, ComponentHandler } from './command.js';

const data = new SlashCommandBuilder()
  .setName('animate-jobs')
  .setNameLocalizations({ 'zh-CN': '动画任务' })
  .setDescription('Your recent videos, or the server’s videos in progress (admins)')
  .setDescriptionLocalizations({ 'zh-CN': '你最近的视频，或本服务器正在制作的视频（管理员）' })
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addStringOption((option) =>
    option
      .setName('scope')
      .setNameLocalizations({ 'zh-CN': '范围' })
      .setDescription('Whose videos (default: yours)')
      .setDescriptionLocalizations({ 'zh-CN': '查看谁的视频（默认：你的）' })
      .addChoices(
        { name: 'Mine', name_localizations: { 'zh-CN': '我的' }, value: 'mine' },
        {
          name: 'Server: in progress (admins)',
          name_localizations: { 'zh-CN': '服务器：进行中（管理员）' },
          value: 'server',
        },
      ),
  )
  .toJSON();

/** The guild asked about; the server scope is for members with Manage Server, checked on every press. */
function guildOfScope(interaction: BaseInteraction, scope: JobsScope): string {
  if (!interaction.inGuild()) throw new UserFacingError('error.guildOnly');
  if (scope === 'server' && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
    throw new UserFacingError('jobs.error.notAdmin');
  return interaction.guildId;
}

/** Newest first: the member's own recent jobs, or every unfinished job of the server. */
async function jobsInScope(
  interaction: BaseInteraction,
  context: BotContext,
  guildId: string,
  scope: JobsScope,
): Promise<JobRecord[]> {
  if (scope === 'mine') return context.jobs.listRecent(guildId, interaction.user.id, RECENT_JOBS_CAP);
  const running = await context.jobs.listActive(guildId);
  return running.sort((a, b) => b.createdAt - a.createdAt);
}

const localeOf = (interaction: BaseInteraction) => resolveLocale(interaction.locale, interaction.guildLocale);

const pageButtons: ComponentHandler = {
  prefix: JOBS_PAGE_PREFIX,
  async execute(interaction, context) {
    const target = parseJobsPageId(interaction.customId);
    if (!interaction.isButton() || !target) throw new UserFacingError('error.unknownComponent');
    const guildId = guildOfScope(interaction, target.scope);
    const jobs = await jobsInScope(interaction, context, guildId, target.scope);
    await interaction.update(renderJobsList(localeOf(interaction), target.scope, jobs, target.page));
  },
};

export const animateJobsCommand = {
  data,
  components: [pageButtons],

  async execute(interaction: ChatInputCommandInteraction, context: BotContext) {
    const scope: JobsScope = interaction.options.getString('scope') === 'server' ? 'server' : 'mine';
    const guildId = guildOfScope(interaction, scope);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const jobs = await jobsInScope(interaction, context, guildId, scope);
    await interaction.editReply(renderJobsList(localeOf(interaction), scope, jobs, 1));
  },
} satisfies Command;
