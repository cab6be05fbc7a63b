import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import { commandLocalizations, commandText, localizedChoice } from '../services/i18n/commands.js';
import { formatModelChoice } from '../services/models/describe-model.js';
import { createModelRegistry } from '../services/models/registry.js';
import { budgetSubcommand, usageSubcommand } from './animate-setup-budget.js';
import { aspectChoices } from './option-choices.js';

function blocklistWords(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName(commandText('command.animate-setup.blocklist.option.words.name'))
    .setNameLocalizations(commandLocalizations('command.animate-setup.blocklist.option.words.name'))
    .setDescription(commandText('command.animate-setup.blocklist.option.words.description'))
    .setDescriptionLocalizations(
      commandLocalizations('command.animate-setup.blocklist.option.words.description'),
    )
    .setRequired(true)
    .setMaxLength(1000);
}

/** Registration data of /animate-setup: admin-only by default, guild-only; its words are in src/services/i18n/commands.ts. */
export const animateSetupData = new SlashCommandBuilder()
  .setName(commandText('command.animate-setup.name'))
  .setNameLocalizations(commandLocalizations('command.animate-setup.name'))
  .setDescription(commandText('command.animate-setup.description'))
  .setDescriptionLocalizations(commandLocalizations('command.animate-setup.description'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.key.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.key.name'))
      .setDescription(commandText('command.animate-setup.key.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.key.description')),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.status.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.status.name'))
      .setDescription(commandText('command.animate-setup.status.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.status.description')),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.remove-key.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.remove-key.name'))
      .setDescription(commandText('command.animate-setup.remove-key.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.remove-key.description')),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.model.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.model.name'))
      .setDescription(commandText('command.animate-setup.model.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.model.description'))
      .addStringOption((option) =>
        option
          .setName(commandText('command.animate-setup.model.option.model.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.model.option.model.name'))
          .setDescription(commandText('command.animate-setup.model.option.model.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.model.option.model.description'),
          )
          .setRequired(true)
          .addChoices(
            ...createModelRegistry()
              .list()
              .map((entry) => ({
                name: formatModelChoice(entry, 'en-US'),
                name_localizations: { 'zh-CN': formatModelChoice(entry, 'zh-CN') },
                value: entry.id,
              })),
          ),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.defaults.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.defaults.name'))
      .setDescription(commandText('command.animate-setup.defaults.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.defaults.description'))
      .addStringOption((option) =>
        option
          .setName(commandText('command.animate-setup.defaults.option.aspect_ratio.name'))
          .setNameLocalizations(
            commandLocalizations('command.animate-setup.defaults.option.aspect_ratio.name'),
          )
          .setDescription(commandText('command.animate-setup.defaults.option.aspect_ratio.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.defaults.option.aspect_ratio.description'),
          )
          .addChoices(
            localizedChoice('command.animate-setup.defaults.option.aspect_ratio.choice.auto', 'auto'),
            ...aspectChoices,
          ),
      )
      .addIntegerOption((option) =>
        option
          .setName(commandText('command.animate-setup.defaults.option.duration.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.defaults.option.duration.name'))
          .setDescription(commandText('command.animate-setup.defaults.option.duration.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.defaults.option.duration.description'),
          )
          .addChoices(
            localizedChoice('command.animate-setup.defaults.option.duration.choice.model-default', 0),
            localizedChoice('command.animate-setup.defaults.option.duration.choice.10', 10),
            localizedChoice('command.animate-setup.defaults.option.duration.choice.15', 15),
          ),
      )
      .addBooleanOption((option) =>
        option
          .setName(commandText('command.animate-setup.defaults.option.remove_watermark.name'))
          .setNameLocalizations(
            commandLocalizations('command.animate-setup.defaults.option.remove_watermark.name'),
          )
          .setDescription(commandText('command.animate-setup.defaults.option.remove_watermark.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.defaults.option.remove_watermark.description'),
          ),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.limits.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.limits.name'))
      .setDescription(commandText('command.animate-setup.limits.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.limits.description'))
      .addIntegerOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.max_running.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.limits.option.max_running.name'))
          .setDescription(commandText('command.animate-setup.limits.option.max_running.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.max_running.description'),
          )
          .setMinValue(1)
          .setMaxValue(100),
      )
      .addIntegerOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.per_member_per_day.name'))
          .setNameLocalizations(
            commandLocalizations('command.animate-setup.limits.option.per_member_per_day.name'),
          )
          .setDescription(commandText('command.animate-setup.limits.option.per_member_per_day.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.per_member_per_day.description'),
          )
          .setMinValue(0)
          .setMaxValue(1000),
      )
      .addIntegerOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.cooldown_seconds.name'))
          .setNameLocalizations(
            commandLocalizations('command.animate-setup.limits.option.cooldown_seconds.name'),
          )
          .setDescription(commandText('command.animate-setup.limits.option.cooldown_seconds.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.cooldown_seconds.description'),
          )
          .setMinValue(0)
          .setMaxValue(86_400),
      )
      .addIntegerOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.confirm_above_credits.name'))
          .setNameLocalizations(
            commandLocalizations('command.animate-setup.limits.option.confirm_above_credits.name'),
          )
          .setDescription(
            commandText('command.animate-setup.limits.option.confirm_above_credits.description'),
          )
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.confirm_above_credits.description'),
          )
          .setMinValue(0)
          .setMaxValue(100_000),
      )
      .addRoleOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.role.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.limits.option.role.name'))
          .setDescription(commandText('command.animate-setup.limits.option.role.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.role.description'),
          ),
      )
      .addBooleanOption((option) =>
        option
          .setName(commandText('command.animate-setup.limits.option.everyone.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.limits.option.everyone.name'))
          .setDescription(commandText('command.animate-setup.limits.option.everyone.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.limits.option.everyone.description'),
          ),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.webhook-key.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.webhook-key.name'))
      .setDescription(commandText('command.animate-setup.webhook-key.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.webhook-key.description'))
      .addBooleanOption((option) =>
        option
          .setName(commandText('command.animate-setup.webhook-key.option.remove.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.webhook-key.option.remove.name'))
          .setDescription(commandText('command.animate-setup.webhook-key.option.remove.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.webhook-key.option.remove.description'),
          ),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName(commandText('command.animate-setup.log-channel.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.log-channel.name'))
      .setDescription(commandText('command.animate-setup.log-channel.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.log-channel.description'))
      .addChannelOption((option) =>
        option
          .setName(commandText('command.animate-setup.log-channel.option.channel.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.log-channel.option.channel.name'))
          .setDescription(commandText('command.animate-setup.log-channel.option.channel.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.log-channel.option.channel.description'),
          )
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addBooleanOption((option) =>
        option
          .setName(commandText('command.animate-setup.log-channel.option.off.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.log-channel.option.off.name'))
          .setDescription(commandText('command.animate-setup.log-channel.option.off.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.log-channel.option.off.description'),
          ),
      ),
  )
  .addSubcommand(budgetSubcommand)
  .addSubcommand(usageSubcommand)
  .addSubcommandGroup((group) =>
    group
      .setName(commandText('command.animate-setup.blocklist.name'))
      .setNameLocalizations(commandLocalizations('command.animate-setup.blocklist.name'))
      .setDescription(commandText('command.animate-setup.blocklist.description'))
      .setDescriptionLocalizations(commandLocalizations('command.animate-setup.blocklist.description'))
      .addSubcommand((sub) =>
        sub
          .setName(commandText('command.animate-setup.blocklist.add.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.blocklist.add.name'))
          .setDescription(commandText('command.animate-setup.blocklist.add.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.blocklist.add.description'),
          )
          .addStringOption(blocklistWords),
      )
      .addSubcommand((sub) =>
        sub
          .setName(commandText('command.animate-setup.blocklist.remove.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.blocklist.remove.name'))
          .setDescription(commandText('command.animate-setup.blocklist.remove.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.blocklist.remove.description'),
          )
          .addStringOption(blocklistWords),
      )
      .addSubcommand((sub) =>
        sub
          .setName(commandText('command.animate-setup.blocklist.list.name'))
          .setNameLocalizations(commandLocalizations('command.animate-setup.blocklist.list.name'))
          .setDescription(commandText('command.animate-setup.blocklist.list.description'))
          .setDescriptionLocalizations(
            commandLocalizations('command.animate-setup.blocklist.list.description'),
          ),
      ),
  )
  .toJSON();
