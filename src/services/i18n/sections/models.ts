/** Messages of the models area, en-US; the zh-CN object below must define the same keys. */
export const modelsEnUS = {
  'models.choice': '{label} · {durations} s · {credits}',
  'models.choice.credits': '~{min}–{max} credits',
  'models.choice.creditsFlat': '~{credits} credits',
  'models.choice.creditsUnknown': 'price unknown',
  'models.unavailable':
    'Kie AI says {model} is not available right now, so no credits were spent. The bot will not try it again before {until}.',
  'models.unavailable.switchTo':
    'Try one of: {models}. A server admin can switch with `/animate-setup model`.',
  'models.unavailable.noAlternative': 'No other model is available right now either. Please try again later.',
  'models.aspect.followsImage':
    '{model} keeps your image’s shape, so the video will be {aspect}. Crop the image to change it.',
  'models.duration.unsupported': '{model} makes videos of {allowed} seconds, not {asked}.',
  'models.duration.adjusted': '{model} cannot make {asked} s videos, so this one is {seconds} s.',
  'models.option.unknown': '{model} has no option “{option}”. It takes: {supported}.',
  'models.option.none': '{model} has no extra options.',
  'models.option.unsupported': '{model} does not offer {option} “{value}”. Choose one of: {allowed}.',
  'models.option.durationConflict': '{model} offers {option} “{value}” only for {allowed} second videos.',
  'models.unavailable.withAlternatives':
    'Kie AI says {model} is not available right now, so no credits were spent. Try one of: {models}. A server admin can switch with `/animate-setup model`.',
  'models.aspect.notChoosable':
    '{model} keeps your image’s shape, so it has no portrait or landscape option. Leave `aspect_ratio` empty, or crop the image.',
  'models.option.noWatermark': '{model} has no watermark option. Leave `remove_watermark` empty.',
  'models.option.badFormat': 'Pick the model option from the list (like “resolution: 1080p”).',
  'models.setup.saved': 'This server now uses {model} by default.',
  'models.status.unavailable': 'unavailable until {until} ({reason}); try {models}',
  'models.option.size': 'Quality',
  'models.option.resolution': 'Resolution',
  'models.option.sound': 'Sound',
  'models.option.generateAudio': 'Sound',
  'models.option.fixedLens': 'Fixed camera',
  'models.option.mode': 'Style',
  'models.value.on': 'on',
  'models.value.off': 'off',
} as const;

export const modelsZhCN = {
  'models.choice': '{label} · {durations} 秒 · {credits}',
  'models.choice.credits': '约 {min}–{max} 积分',
  'models.choice.creditsFlat': '约 {credits} 积分',
  'models.choice.creditsUnknown': '价格未知',
  'models.unavailable': 'Kie AI 表示 {model} 目前不可用，未消耗任何积分。在 {until} 之前机器人不会再尝试它。',
  'models.unavailable.switchTo': '可以改用：{models}。服务器管理员可用 `/animate-setup model` 切换。',
  'models.unavailable.noAlternative': '目前也没有其他可用的模型，请稍后再试。',
  'models.aspect.followsImage': '{model} 会沿用图片的比例，所以视频将是{aspect}。如需改变，请先裁剪图片。',
  'models.duration.unsupported': '{model} 只能生成 {allowed} 秒的视频，不支持 {asked} 秒。',
  'models.duration.adjusted': '{model} 不能生成 {asked} 秒的视频，所以这次是 {seconds} 秒。',
  'models.option.unknown': '{model} 没有“{option}”这个选项。它支持：{supported}。',
  'models.option.none': '{model} 没有额外选项。',
  'models.option.unsupported': '{model} 不提供{option}“{value}”。可选：{allowed}。',
  'models.option.durationConflict': '{model} 的{option}“{value}”只适用于 {allowed} 秒的视频。',
  'models.unavailable.withAlternatives':
    'Kie AI 表示 {model} 目前不可用，未消耗任何积分。可以改用：{models}。服务器管理员可用 `/animate-setup model` 切换。',
  'models.aspect.notChoosable':
    '{model} 会沿用图片的比例，没有竖屏或横屏选项。请不要填写 `aspect_ratio`，或先裁剪图片。',
  'models.option.noWatermark': '{model} 没有去水印选项。请不要填写 `remove_watermark`。',
  'models.option.badFormat': '请从列表中选择模型选项（例如“分辨率: 1080p”）。',
  'models.setup.saved': '本服务器现在默认使用 {model}。',
  'models.status.unavailable': '不可用，直到 {until}（{reason}）；可改用 {models}',
  'models.option.size': '画质',
  'models.option.resolution': '分辨率',
  'models.option.sound': '声音',
  'models.option.generateAudio': '声音',
  'models.option.fixedLens': '固定镜头',
  'models.option.mode': '风格',
  'models.value.on': '开',
  'models.value.off': '关',
} satisfies Record<keyof typeof modelsEnUS, string>;

export type ModelsMessageKey = keyof typeof modelsEnUS;
