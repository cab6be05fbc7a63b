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
