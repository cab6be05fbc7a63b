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

/** A choice of a string option, named in every language. */
export function localizedChoice<V extends string>(
  key: CommandTextKey,
  value: V,
): { name: string; name_localizations: { 'zh-CN': string }; value: V } {
  return { name: commandText(key), name_localizations: commandLocalizations(key), value };
}
