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
import { commandLocalizations, commandText, localizedChoice } from '../services/i18n/commands.js';
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
  .setName(commandText('command.animate-jobs.name'))
  .setNameLocalizations(commandLocalizations('command.animate-jobs.name'))
  .setDescription(commandText('command.animate-jobs.description'))
  .setDescriptionLocalizations(commandLocalizations('command.animate-jobs.description'))
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addStringOption((option) =>
    option
      .setName(commandText('command.animate-jobs.option.scope.name'))
      .setNameLocalizations(commandLocalizations('command.animate-jobs.option.scope.name'))
      .setDescription(commandText('command.animate-jobs.option.scope.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-jobs.option.scope.description'))
      .addChoices(
        localizedChoice('command.animate-jobs.option.scope.choice.mine', 'mine'),
        localizedChoice('command.animate-jobs.option.scope.choice.server', 'server'),
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
