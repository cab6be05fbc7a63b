/**
 * Extend, several takes and "Try another model" (issue 15, points 3–5), en-US; the zh-CN object
 * must define the same keys.
 */
export const videoActionsEnUS = {
  'button.extend': 'Extend',
  'button.extendLimit': 'Extended {max} times (the limit)',
  'extend.modalTitle': 'Extend this video',
  'extend.modalLabel': 'What happens next (optional)',
  'extend.modalPlaceholder': 'Leave empty to let the motion go on',
  'extend.none': '{model} cannot extend a video, so this one has no Extend.',
  'extend.limit':
    'This video has been extended {max} times already, the most the bot allows for {model}. Run `/animate` for a new video.',
  'extend.notFrom': '{model} cannot extend a video made at {value}.',
  'extend.notFinished': 'Only a finished video can be extended.',
  'result.extends': 'Extends [this video]({link}) · extension {chain} of {max}',
  'result.otherModel': 'Same image and prompt as [this video]({link}), on another model',
  'status.added': '+{seconds} s',
  'status.addedUnknown': 'as long as Kie AI makes it',
  'tryModel.placeholder': 'Try another model…',
  'tryModel.credits': 'about {credits} credits',
  'tryModel.noEstimate': 'no published price',
  'tryModel.same': 'This video was made with {model} already; press Again for another one.',
  'takes.content': '{mention} {count} takes: {ready} ready, {running} in progress, {failed} without a video.',
  'takes.title': 'Take {index} of {count}',
  'takes.attached': 'Attached as `{file}`.',
  'takes.linked': '[Open the video]({url}): too large to attach here. Kie keeps it for about a day; save it.',
  'takes.posted': 'Posted in its own message below (this reply could not take it).',
  'takes.failed': 'No video: {reason}',
  'takes.cancelled': 'Cancelled. Kie AI may still finish it and use credits; the bot will not post it.',
  'takes.missing': 'Never started: nothing was spent on it.',
  'takes.question':
    'These {takes} takes are estimated at about {estimate} credits together, above this server’s {threshold}-credit threshold. Make them?',
  'takes.serverBusy':
    'This server has room for {free} more videos at the moment, not {takes}. Ask for fewer takes, or try again once some finish. Nothing was spent.',
  'takes.daily':
    'Your daily limit leaves room for {left} more today, not for {takes} takes. Ask for fewer takes. Nothing was spent.',
} as const;

export const videoActionsZhCN = {
  'button.extend': '延长',
  'button.extendLimit': '已延长 {max} 次（已达上限）',
  'extend.modalTitle': '延长此视频',
  'extend.modalLabel': '接下来发生什么（可选）',
  'extend.modalPlaceholder': '留空则延续原有动作',
  'extend.none': '{model} 不支持延长视频，因此这个视频没有“延长”按钮。',
  'extend.limit':
    '这个视频已经延长了 {max} 次，这是机器人对 {model} 允许的上限。请运行 `/animate` 制作新视频。',
  'extend.notFrom': '{model} 无法延长以 {value} 制作的视频。',
  'extend.notFinished': '只有已完成的视频才能延长。',
  'result.extends': '延长自[这个视频]({link}) · 第 {chain} 次延长，最多 {max} 次',
  'result.otherModel': '与[这个视频]({link})使用相同的图片和提示词，换了一个模型',
  'status.added': '+{seconds} 秒',
  'status.addedUnknown': '由 Kie AI 决定',
  'tryModel.placeholder': '换个模型试试…',
  'tryModel.credits': '约 {credits} 积分',
  'tryModel.noEstimate': '未公布价格',
  'tryModel.same': '这个视频已经是用 {model} 制作的；点击“再来一次”可以再做一个。',
  'takes.content': '{mention} 共 {count} 个版本：{ready} 个已完成，{running} 个进行中，{failed} 个没有视频。',
  'takes.title': '版本 {index} / {count}',
  'takes.attached': '已作为 `{file}` 附上。',
  'takes.linked': '[打开视频]({url})：文件太大，无法在此附上。Kie 大约保留一天，请及时保存。',
  'takes.posted': '已在下方单独发布（此回复无法容纳它）。',
  'takes.failed': '没有视频：{reason}',
  'takes.cancelled': '已取消。Kie AI 仍可能完成它并消耗积分；机器人不会发布它。',
  'takes.missing': '从未开始：没有消耗任何积分。',
  'takes.question':
    '这 {takes} 个版本预计共需约 {estimate} 积分，超过本服务器 {threshold} 积分的确认阈值。要制作吗？',
  'takes.serverBusy':
    '本服务器目前还能容纳 {free} 个视频，不足 {takes} 个。请减少版本数量，或等部分视频完成后再试。没有消耗任何积分。',
  'takes.daily':
    '按每日上限，你今天还能制作 {left} 个视频，不够 {takes} 个版本。请减少版本数量。没有消耗任何积分。',
} satisfies Record<keyof typeof videoActionsEnUS, string>;
