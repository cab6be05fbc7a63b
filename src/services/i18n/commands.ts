/**
 * What Discord shows of the commands: names, descriptions and choices. en-US is the text Discord
 * shows by default, zh-CN its localisation. Names: at most 32 characters, lowercase (a
 * context-menu command's may have capitals and spaces); descriptions and choices: at most 100.
 */
interface CommandText {
  'en-US': string;
  'zh-CN': string;
}

export const commandTexts = {
  'command.animate-jobs.name': { 'en-US': 'animate-jobs', 'zh-CN': '动画任务' },
  'command.animate-jobs.description': {
    'en-US': 'Your recent videos, or the server’s videos in progress (admins)',
    'zh-CN': '你最近的视频，或本服务器正在制作的视频（管理员）',
  },
  'command.animate-jobs.option.scope.name': { 'en-US': 'scope', 'zh-CN': '范围' },
  'command.animate-jobs.option.scope.description': {
    'en-US': 'Whose videos (default: yours)',
    'zh-CN': '查看谁的视频（默认：你的）',
  },
  'command.animate-jobs.option.scope.choice.mine': { 'en-US': 'Mine', 'zh-CN': '我的' },
  'command.animate-jobs.option.scope.choice.server': {
    'en-US': 'Server: in progress (admins)',
    'zh-CN': '服务器：进行中（管理员）',
  },
  'command.animate-quota.name': { 'en-US': 'animate-quota', 'zh-CN': '动画配额' },
  'command.animate-quota.description': {
    'en-US': 'What you have left today, your cooldown, and when your videos should be ready',
    'zh-CN': '你今天还剩多少次、冷却时间，以及视频预计何时完成',
  },
  'command.animate-message.name': { 'en-US': 'Animate', 'zh-CN': '制作动画' },
  'command.animate.name': { 'en-US': 'animate', 'zh-CN': '动画' },
  'command.animate.description': {
    'en-US': 'Turn an image into a short video',
    'zh-CN': '把一张图片变成一段短视频',
  },
  'command.animate.option.image.name': { 'en-US': 'image', 'zh-CN': '图片' },
  'command.animate.option.image.description': {
    'en-US': 'The first frame: a JPG, PNG or WebP image up to 10 MB',
    'zh-CN': '视频首帧：JPG、PNG 或 WebP 图片，最大 10 MB',
  },
  'command.animate.option.prompt.name': { 'en-US': 'prompt', 'zh-CN': '提示词' },
  'command.animate.option.prompt.description': {
    'en-US': 'The motion you want to see',
    'zh-CN': '你想看到的动作',
  },
  'command.animate.option.aspect_ratio.name': { 'en-US': 'aspect_ratio', 'zh-CN': '画面比例' },
  'command.animate.option.aspect_ratio.description': {
    'en-US': 'Portrait or landscape (default: follows your image)',
    'zh-CN': '竖屏或横屏（默认：跟随图片）',
  },
  'command.animate.option.duration.name': { 'en-US': 'duration', 'zh-CN': '时长' },
  'command.animate.option.duration.description': {
    'en-US': 'Length of the video in seconds (the choices depend on the model)',
    'zh-CN': '视频时长（秒，可选值取决于模型）',
  },
  'command.animate.option.remove_watermark.name': { 'en-US': 'remove_watermark', 'zh-CN': '去除水印' },
  'command.animate.option.remove_watermark.description': {
    'en-US': 'Remove the watermark from the video (default: yes)',
    'zh-CN': '去除视频水印（默认：是）',
  },
  'command.animate.option.model.name': { 'en-US': 'model', 'zh-CN': '模型' },
  'command.animate.option.model.description': {
    'en-US': 'Which video model to use (default: the server’s)',
    'zh-CN': '使用哪个视频模型（默认：服务器设置）',
  },
  'command.animate.option.model_option.name': { 'en-US': 'model_option', 'zh-CN': '模型选项' },
  'command.animate.option.model_option.description': {
    'en-US': 'Another option of the chosen model, like resolution or mode',
    'zh-CN': '所选模型的其他选项，例如分辨率或模式',
  },
  'command.animate.option.end_image.name': { 'en-US': 'end_image', 'zh-CN': '尾帧图片' },
  'command.animate.option.end_image.description': {
    'en-US': 'The last frame: the video ends on this image (models with a last frame only)',
    'zh-CN': '尾帧：视频以这张图片结束（仅支持尾帧的模型）',
  },
  'command.animate.option.loop.name': { 'en-US': 'loop', 'zh-CN': '循环' },
  'command.animate.option.loop.description': {
    'en-US': 'End on the first image, for a seamless loop (models with a last frame only)',
    'zh-CN': '以第一张图片结尾，形成无缝循环（仅支持尾帧的模型）',
  },
  'command.animate.option.sound.name': { 'en-US': 'sound', 'zh-CN': '声音' },
  'command.animate.option.sound.description': {
    'en-US': 'With sound or silent (default: the model’s; models with sound only)',
    'zh-CN': '有声或无声（默认按模型；仅支持声音的模型）',
  },
  'command.animate.option.camera.name': { 'en-US': 'camera', 'zh-CN': '镜头' },
  'command.animate.option.camera.description': {
    'en-US': 'Keep the camera fixed or let it move (models with a camera lock only)',
    'zh-CN': '固定镜头或允许移动（仅支持锁定镜头的模型）',
  },
  'command.animate.option.takes.name': { 'en-US': 'takes', 'zh-CN': '版本数' },
  'command.animate.option.takes.description': {
    'en-US': 'How many videos to make at once, 1–4; each counts against the limits (default: 1)',
    'zh-CN': '一次制作几个视频（1–4），每个都计入限额（默认：1）',
  },
  'command.option.aspect_ratio.choice.portrait': { 'en-US': 'Portrait', 'zh-CN': '竖屏' },
  'command.option.aspect_ratio.choice.landscape': { 'en-US': 'Landscape', 'zh-CN': '横屏' },
  'command.animate-setup.blocklist.option.words.name': { 'en-US': 'words', 'zh-CN': '词语' },
  'command.animate-setup.blocklist.option.words.description': {
    'en-US': 'One or more words or phrases, separated by commas',
    'zh-CN': '一个或多个词语或短语，用逗号分隔',
  },
  'command.animate-setup.name': { 'en-US': 'animate-setup', 'zh-CN': '动画设置' },
  'command.animate-setup.description': {
    'en-US': 'Set up /animate for this server (admins)',
    'zh-CN': '为本服务器设置 /animate（管理员）',
  },
  'command.animate-setup.key.name': { 'en-US': 'key', 'zh-CN': '密钥' },
  'command.animate-setup.key.description': {
    'en-US': 'Set the Kie AI API key this server pays with',
    'zh-CN': '设置本服务器付费使用的 Kie AI API 密钥',
  },
  'command.animate-setup.status.name': { 'en-US': 'status', 'zh-CN': '状态' },
  'command.animate-setup.status.description': {
    'en-US': 'Show the key, credit balance, defaults, limits and running jobs',
    'zh-CN': '查看密钥、积分余额、默认设置、限制和进行中的任务',
  },
  'command.animate-setup.remove-key.name': { 'en-US': 'remove-key', 'zh-CN': '移除密钥' },
  'command.animate-setup.remove-key.description': {
    'en-US': 'Forget this server’s Kie AI key',
    'zh-CN': '删除本服务器的 Kie AI 密钥',
  },
  'command.animate-setup.model.name': { 'en-US': 'model', 'zh-CN': '模型' },
  'command.animate-setup.model.description': {
    'en-US': 'The video model this server uses by default',
    'zh-CN': '本服务器默认使用的视频模型',
  },
  'command.animate-setup.model.option.model.name': { 'en-US': 'model', 'zh-CN': '模型' },
  'command.animate-setup.model.option.model.description': {
    'en-US': 'Model, its durations and estimated price',
    'zh-CN': '模型、可选时长和预估价格',
  },
  'command.animate-setup.defaults.name': { 'en-US': 'defaults', 'zh-CN': '默认设置' },
  'command.animate-setup.defaults.description': {
    'en-US': 'Defaults for /animate options members leave out',
    'zh-CN': '成员未填写时 /animate 选项的默认值',
  },
  'command.animate-setup.defaults.option.aspect_ratio.name': { 'en-US': 'aspect_ratio', 'zh-CN': '画面比例' },
  'command.animate-setup.defaults.option.aspect_ratio.description': {
    'en-US': 'Default shape (automatic follows the image)',
    'zh-CN': '默认画面（自动：跟随图片）',
  },
  'command.animate-setup.defaults.option.duration.name': { 'en-US': 'duration', 'zh-CN': '时长' },
  'command.animate-setup.defaults.option.duration.description': {
    'en-US': 'Default length in seconds',
    'zh-CN': '默认时长（秒）',
  },
  'command.animate-setup.defaults.option.remove_watermark.name': {
    'en-US': 'remove_watermark',
    'zh-CN': '去除水印',
  },
  'command.animate-setup.defaults.option.remove_watermark.description': {
    'en-US': 'Remove the watermark by default',
    'zh-CN': '默认去除水印',
  },
  'command.animate-setup.limits.name': { 'en-US': 'limits', 'zh-CN': '限制' },
  'command.animate-setup.limits.description': {
    'en-US': 'Limit how many videos members can make',
    'zh-CN': '限制成员可以制作的视频数量',
  },
  'command.animate-setup.limits.option.max_running.name': { 'en-US': 'max_running', 'zh-CN': '同时进行上限' },
  'command.animate-setup.limits.option.max_running.description': {
    'en-US': 'Videos in progress at once for the whole server (1–100)',
    'zh-CN': '整个服务器同时制作的视频数（1–100）',
  },
  'command.animate-setup.limits.option.per_member_per_day.name': {
    'en-US': 'per_member_per_day',
    'zh-CN': '每人每日上限',
  },
  'command.animate-setup.limits.option.per_member_per_day.description': {
    'en-US': 'Videos one member may start per day (0 = unlimited)',
    'zh-CN': '每位成员每天可制作的视频数（0 = 不限）',
  },
  'command.animate-setup.limits.option.cooldown_seconds.name': {
    'en-US': 'cooldown_seconds',
    'zh-CN': '冷却秒数',
  },
  'command.animate-setup.limits.option.cooldown_seconds.description': {
    'en-US': 'Seconds a member waits between videos (0–86400)',
    'zh-CN': '成员两次制作之间的等待秒数（0–86400）',
  },
  'command.animate-setup.limits.option.confirm_above_credits.name': {
    'en-US': 'confirm_above_credits',
    'zh-CN': '确认积分阈值',
  },
  'command.animate-setup.limits.option.confirm_above_credits.description': {
    'en-US': 'Ask members to confirm jobs estimated above this many credits (0 = never)',
    'zh-CN': '预估费用超过此积分时需成员确认（0 = 从不）',
  },
  'command.animate-setup.limits.option.role.name': { 'en-US': 'role', 'zh-CN': '身份组' },
  'command.animate-setup.limits.option.role.description': {
    'en-US': 'Only members with this role may use /animate',
    'zh-CN': '只有拥有此身份组的成员才能使用 /animate',
  },
  'command.animate-setup.limits.option.everyone.name': { 'en-US': 'everyone', 'zh-CN': '所有人' },
  'command.animate-setup.limits.option.everyone.description': {
    'en-US': 'Let every member use /animate again (clears the role)',
    'zh-CN': '重新允许所有成员使用 /animate（清除身份组）',
  },
  'command.animate-setup.webhook-key.name': { 'en-US': 'webhook-key', 'zh-CN': '回调密钥' },
  'command.animate-setup.webhook-key.description': {
    'en-US': 'Set the key Kie AI signs this server’s callbacks with (from kie.ai/settings)',
    'zh-CN': '设置 Kie AI 为本服务器回调签名所用的密钥（来自 kie.ai/settings）',
  },
  'command.animate-setup.webhook-key.option.remove.name': { 'en-US': 'remove', 'zh-CN': '移除' },
  'command.animate-setup.webhook-key.option.remove.description': {
    'en-US': 'Forget the stored webhook key instead of setting one',
    'zh-CN': '删除已保存的回调签名密钥，而不是设置新密钥',
  },
  'command.animate-setup.blocklist.name': { 'en-US': 'blocklist', 'zh-CN': '屏蔽词' },
  'command.animate-setup.blocklist.description': {
    'en-US': 'Words and phrases prompts may not use',
    'zh-CN': '提示词不得使用的词语和短语',
  },
  'command.animate-setup.blocklist.add.name': { 'en-US': 'add', 'zh-CN': '添加' },
  'command.animate-setup.blocklist.add.description': {
    'en-US': 'Refuse prompts that use these words or phrases',
    'zh-CN': '拒绝使用这些词语或短语的提示词',
  },
  'command.animate-setup.blocklist.remove.name': { 'en-US': 'remove', 'zh-CN': '移除' },
  'command.animate-setup.blocklist.remove.description': {
    'en-US': 'Allow these words or phrases again',
    'zh-CN': '重新允许这些词语或短语',
  },
  'command.animate-setup.blocklist.list.name': { 'en-US': 'list', 'zh-CN': '列表' },
  'command.animate-setup.blocklist.list.description': {
    'en-US': 'Show the blocklist',
    'zh-CN': '查看屏蔽词列表',
  },
  'command.animate-setup.defaults.option.aspect_ratio.choice.auto': { 'en-US': 'Automatic', 'zh-CN': '自动' },
  'command.animate-setup.defaults.option.duration.choice.model-default': {
    'en-US': 'Model default',
    'zh-CN': '模型默认',
  },
  'command.animate-setup.defaults.option.duration.choice.10': { 'en-US': '10 s', 'zh-CN': '10 秒' },
  'command.animate-setup.defaults.option.duration.choice.15': { 'en-US': '15 s', 'zh-CN': '15 秒' },
  'command.animate-setup.log-channel.name': { 'en-US': 'log-channel', 'zh-CN': '日志频道' },
  'command.animate-setup.log-channel.description': {
    'en-US': 'Post an audit log (jobs, setup changes, refusals) in a channel',
    'zh-CN': '在一个频道中发布审计日志（任务、设置更改、拒绝）',
  },
  'command.animate-setup.log-channel.option.channel.name': { 'en-US': 'channel', 'zh-CN': '频道' },
  'command.animate-setup.log-channel.option.channel.description': {
    'en-US': 'The text channel for the audit log',
    'zh-CN': '用于审计日志的文字频道',
  },
  'command.animate-setup.log-channel.option.off.name': { 'en-US': 'off', 'zh-CN': '关闭' },
  'command.animate-setup.log-channel.option.off.description': {
    'en-US': 'Turn the audit log off',
    'zh-CN': '关闭审计日志',
  },
  'command.animate-setup.budget.name': { 'en-US': 'budget', 'zh-CN': '预算' },
  'command.animate-setup.budget.description': {
    'en-US': 'Cap the credits this server spends per month',
    'zh-CN': '限制本服务器每月花费的积分',
  },
  'command.animate-setup.budget.option.credits.name': { 'en-US': 'credits', 'zh-CN': '积分' },
  'command.animate-setup.budget.option.credits.description': {
    'en-US': 'Credits per month (0 = no budget)',
    'zh-CN': '每月积分（0 = 不设预算）',
  },
  'command.animate-setup.budget.option.reset_day.name': { 'en-US': 'reset_day', 'zh-CN': '重置日' },
  'command.animate-setup.budget.option.reset_day.description': {
    'en-US': 'Day of the month the budget starts again, UTC (1–28, default 1)',
    'zh-CN': '每月预算重新开始的日期，UTC（1–28，默认 1）',
  },
  'command.animate-setup.usage.name': { 'en-US': 'usage', 'zh-CN': '用量' },
  'command.animate-setup.usage.description': {
    'en-US': 'Credits per day by model, top members, success rate and time to video',
    'zh-CN': '每日各模型积分、成员排行、成功率和出片时间',
  },
  'command.animate-setup.usage.option.period.name': { 'en-US': 'period', 'zh-CN': '时段' },
  'command.animate-setup.usage.option.period.description': {
    'en-US': 'Which days (default: last 30 days)',
    'zh-CN': '统计哪些天（默认：最近 30 天）',
  },
  'command.animate-setup.usage.option.period.choice.7d': { 'en-US': 'Last 7 days', 'zh-CN': '最近 7 天' },
  'command.animate-setup.usage.option.period.choice.30d': { 'en-US': 'Last 30 days', 'zh-CN': '最近 30 天' },
  'command.animate-setup.usage.option.period.choice.month': {
    'en-US': 'This budget month',
    'zh-CN': '本预算月',
  },
} as const satisfies Record<string, CommandText>;

export type CommandTextKey = keyof typeof commandTexts;

/** The en-US text: a builder's name, description or choice name. */
export function commandText(key: CommandTextKey): string {
  return commandTexts[key]['en-US'];
}

/** The same text in the other languages, for setNameLocalizations / setDescriptionLocalizations. */
export function commandLocalizations(key: CommandTextKey): { 'zh-CN': string } {
  return { 'zh-CN': commandTexts[key]['zh-CN'] };
}

/** A choice of a string or number option, named in every language. */
export function localizedChoice<V extends string | number>(
  key: CommandTextKey,
  value: V,
): { name: string; name_localizations: { 'zh-CN': string }; value: V } {
  return { name: commandText(key), name_localizations: commandLocalizations(key), value };
}
