import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import { formatModelChoice } from '../services/models/describe-model.js';
import { createModelRegistry } from '../services/models/registry.js';
import { budgetSubcommand, usageSubcommand } from './animate-setup-budget.js';
import { aspectChoices } from './option-choices.js';

function blocklistWords(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName('words')
    .setNameLocalizations({ 'zh-CN': '词语' })
    .setDescription('One or more words or phrases, separated by commas')
    .setDescriptionLocalizations({ 'zh-CN': '一个或多个词语或短语，用逗号分隔' })
    .setRequired(true)
    .setMaxLength(1000);
}

/** Registration data of /animate-setup: admin-only by default, guild-only, with zh-CN names. */
export const animateSetupData = new SlashCommandBuilder()
  .setName('animate-setup')
  .setNameLocalizations({ 'zh-CN': '动画设置' })
  .setDescription('Set up /animate for this server (admins)')
  .setDescriptionLocalizations({ 'zh-CN': '为本服务器设置 /animate（管理员）' })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((sub) =>
    sub
      .setName('key')
      .setNameLocalizations({ 'zh-CN': '密钥' })
      .setDescription('Set the Kie AI API key this server pays with')
      .setDescriptionLocalizations({ 'zh-CN': '设置本服务器付费使用的 Kie AI API 密钥' }),
  )
  .addSubcommand((sub) =>
    sub
      .setName('status')
      .setNameLocalizations({ 'zh-CN': '状态' })
      .setDescription('Show the key, credit balance, defaults, limits and running jobs')
      .setDescriptionLocalizations({ 'zh-CN': '查看密钥、积分余额、默认设置、限制和进行中的任务' }),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove-key')
      .setNameLocalizations({ 'zh-CN': '移除密钥' })
      .setDescription('Forget this server’s Kie AI key')
      .setDescriptionLocalizations({ 'zh-CN': '删除本服务器的 Kie AI 密钥' }),
  )
  .addSubcommand((sub) =>
    sub
      .setName('model')
      .setNameLocalizations({ 'zh-CN': '模型' })
      .setDescription('The video model this server uses by default')
      .setDescriptionLocalizations({ 'zh-CN': '本服务器默认使用的视频模型' })
      .addStringOption((option) =>
        option
          .setName('model')
          .setNameLocalizations({ 'zh-CN': '模型' })
          .setDescription('Model, its durations and estimated price')
          .setDescriptionLocalizations({ 'zh-CN': '模型、可选时长和预估价格' })
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
      .setName('defaults')
      .setNameLocalizations({ 'zh-CN': '默认设置' })
      .setDescription('Defaults for /animate options members leave out')
      .setDescriptionLocalizations({ 'zh-CN': '成员未填写时 /animate 选项的默认值' })
      .addStringOption((option) =>
        option
          .setName('aspect_ratio')
          .setNameLocalizations({ 'zh-CN': '画面比例' })
          .setDescription('Default shape (automatic follows the image)')
          .setDescriptionLocalizations({ 'zh-CN': '默认画面（自动：跟随图片）' })
          .addChoices(
            { name: 'Automatic', name_localizations: { 'zh-CN': '自动' }, value: 'auto' },
            ...aspectChoices,
          ),
      )
      .addIntegerOption((option) =>
        option
          .setName('duration')
          .setNameLocalizations({ 'zh-CN': '时长' })
          .setDescription('Default length in seconds')
          .setDescriptionLocalizations({ 'zh-CN': '默认时长（秒）' })
          .addChoices(
            { name: 'Model default', name_localizations: { 'zh-CN': '模型默认' }, value: 0 },
            { name: '10 s', name_localizations: { 'zh-CN': '10 秒' }, value: 10 },
            { name: '15 s', name_localizations: { 'zh-CN': '15 秒' }, value: 15 },
          ),
      )
      .addBooleanOption((option) =>
        option
          .setName('remove_watermark')
          .setNameLocalizations({ 'zh-CN': '去除水印' })
          .setDescription('Remove the watermark by default')
          .setDescriptionLocalizations({ 'zh-CN': '默认去除水印' }),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('limits')
      .setNameLocalizations({ 'zh-CN': '限制' })
      .setDescription('Limit how many videos members can make')
      .setDescriptionLocalizations({ 'zh-CN': '限制成员可以制作的视频数量' })
      .addIntegerOption((option) =>
        option
          .setName('max_running')
          .setNameLocalizations({ 'zh-CN': '同时进行上限' })
          .setDescription('Videos in progress at once for the whole server (1–100)')
          .setDescriptionLocalizations({ 'zh-CN': '整个服务器同时制作的视频数（1–100）' })
          .setMinValue(1)
          .setMaxValue(100),
      )
      .addIntegerOption((option) =>
        option
          .setName('per_member_per_day')
          .setNameLocalizations({ 'zh-CN': '每人每日上限' })
          .setDescription('Videos one member may start per day (0 = unlimited)')
          .setDescriptionLocalizations({ 'zh-CN': '每位成员每天可制作的视频数（0 = 不限）' })
          .setMinValue(0)
          .setMaxValue(1000),
      )
      .addIntegerOption((option) =>
        option
          .setName('cooldown_seconds')
          .setNameLocalizations({ 'zh-CN': '冷却秒数' })
          .setDescription('Seconds a member waits between videos (0–86400)')
          .setDescriptionLocalizations({ 'zh-CN': '成员两次制作之间的等待秒数（0–86400）' })
          .setMinValue(0)
          .setMaxValue(86_400),
      )
      .addIntegerOption((option) =>
        option
          .setName('confirm_above_credits')
          .setNameLocalizations({ 'zh-CN': '确认积分阈值' })
          .setDescription('Ask members to confirm jobs estimated above this many credits (0 = never)')
          .setDescriptionLocalizations({ 'zh-CN': '预估费用超过此积分时需成员确认（0 = 从不）' })
          .setMinValue(0)
          .setMaxValue(100_000),
      )
      .addRoleOption((option) =>
        option
          .setName('role')
          .setNameLocalizations({ 'zh-CN': '身份组' })
          .setDescription('Only members with this role may use /animate')
          .setDescriptionLocalizations({ 'zh-CN': '只有拥有此身份组的成员才能使用 /animate' }),
      )
      .addBooleanOption((option) =>
        option
          .setName('everyone')
          .setNameLocalizations({ 'zh-CN': '所有人' })
          .setDescription('Let every member use /animate again (clears the role)')
          .setDescriptionLocalizations({ 'zh-CN': '重新允许所有成员使用 /animate（清除身份组）' }),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('webhook-key')
      .setNameLocalizations({ 'zh-CN': '回调密钥' })
      .setDescription('Set the key Kie AI signs this server’s callbacks with (from kie.ai/settings)')
      .setDescriptionLocalizations({
        'zh-CN': '设置 Kie AI 为本服务器回调签名所用的密钥（来自 kie.ai/settings）',
      })
      .addBooleanOption((option) =>
        option
          .setName('remove')
          .setNameLocalizations({ 'zh-CN': '移除' })
          .setDescription('Forget the stored webhook key instead of setting one')
          .setDescriptionLocalizations({ 'zh-CN': '删除已保存的回调签名密钥，而不是设置新密钥' }),
      ),
  )
  .addSubcommand(budgetSubcommand)
  .addSubcommand(usageSubcommand)
  .addSubcommandGroup((group) =>
    group
      .setName('blocklist')
      .setNameLocalizations({ 'zh-CN': '屏蔽词' })
      .setDescription('Words and phrases prompts may not use')
      .setDescriptionLocalizations({ 'zh-CN': '提示词不得使用的词语和短语' })
      .addSubcommand((sub) =>
        sub
          .setName('add')
          .setNameLocalizations({ 'zh-CN': '添加' })
          .setDescription('Refuse prompts that use these words or phrases')
          .setDescriptionLocalizations({ 'zh-CN': '拒绝使用这些词语或短语的提示词' })
          .addStringOption(blocklistWords),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setNameLocalizations({ 'zh-CN': '移除' })
          .setDescription('Allow these words or phrases again')
          .setDescriptionLocalizations({ 'zh-CN': '重新允许这些词语或短语' })
          .addStringOption(blocklistWords),
      )
      .addSubcommand((sub) =>
        sub
          .setName('list')
          .setNameLocalizations({ 'zh-CN': '列表' })
          .setDescription('Show the blocklist')
          .setDescriptionLocalizations({ 'zh-CN': '查看屏蔽词列表' }),
      ),
  )
  .toJSON();
