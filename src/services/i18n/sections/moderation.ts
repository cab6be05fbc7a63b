/** Messages of the blocklist and the Delete button, en-US; the zh-CN object must define the same keys. */
export const moderationEnUS = {
  'moderation.refused':
    'This prompt uses words this server does not allow, so nothing was made and no credits were spent. Please rephrase it.',
  'blocklist.empty': 'Give one or more words or phrases, separated by commas.',
  'blocklist.tooLong': 'An entry is {length} characters long; the limit is {max}. Nothing was changed.',
  'blocklist.tooMany':
    'The blocklist holds at most {max} entries ({count} now). Remove some first. Nothing was changed.',
  'blocklist.nothingToMatch':
    'The entry “{entry}” has no letters or digits, so it could never match. Nothing was changed.',
  'blocklist.added': 'Added to the blocklist: {entries}. It now holds {total} entries.',
  'blocklist.alreadyThere': 'Already on the blocklist: {entries}.',
  'blocklist.removed': 'Removed from the blocklist: {entries}. It now holds {total} entries.',
  'blocklist.notThere': 'Not on the blocklist: {entries}.',
  'blocklist.title': 'Blocklist ({total} of {max})',
  'blocklist.none':
    'The blocklist is empty. Add words or phrases with `/animate-setup blocklist add`: prompts that use them are refused before anything is spent.',
  'blocklist.howItMatches':
    'Matched as whole words, ignoring case, accents, full-width and look-alike letters, and letters spelt out (`n.s.f.w`); Chinese and Japanese entries match inside longer text. End an entry with * to match longer words too (`gun*` matches `guns`).',
  'button.delete': 'Delete',
  'delete.confirm': 'Delete this video? The message is removed for everyone; this cannot be undone.',
  'delete.confirmButton': 'Delete it',
  'delete.keepButton': 'Keep it',
  'delete.done': 'The video was deleted.',
  'delete.kept': 'Nothing was deleted.',
  'delete.notDelivered': 'Only a finished video can be deleted.',
  'delete.failed':
    'Discord would not delete the message ({reason}). An admin may check the bot’s permissions in this channel.',
} as const;

export const moderationZhCN = {
  'moderation.refused':
    '这个提示词包含本服务器不允许的词语，因此没有制作视频，也没有消耗积分。请换一种说法。',
  'blocklist.empty': '请填写一个或多个词语或短语，用逗号分隔。',
  'blocklist.tooLong': '有一项长 {length} 个字符，上限为 {max}。未做任何更改。',
  'blocklist.tooMany': '屏蔽词列表最多 {max} 项（现有 {count} 项）。请先移除一些。未做任何更改。',
  'blocklist.nothingToMatch': '“{entry}”不含字母或数字，永远不会匹配。未做任何更改。',
  'blocklist.added': '已加入屏蔽词列表：{entries}。现共有 {total} 项。',
  'blocklist.alreadyThere': '已在屏蔽词列表中：{entries}。',
  'blocklist.removed': '已从屏蔽词列表移除：{entries}。现共有 {total} 项。',
  'blocklist.notThere': '不在屏蔽词列表中：{entries}。',
  'blocklist.title': '屏蔽词列表（{total}/{max}）',
  'blocklist.none':
    '屏蔽词列表为空。可用 `/animate-setup blocklist add` 添加词语或短语：使用这些词的提示词会在消耗任何积分之前被拒绝。',
  'blocklist.howItMatches':
    '按完整词语匹配，忽略大小写、重音、全角字符和形近字母，也能识别拆开拼写的字母（`n.s.f.w`）。中文等不用空格的文字按字串匹配。在词尾加 * 可匹配更长的词（`gun*` 匹配 `guns`）。',
  'button.delete': '删除',
  'delete.confirm': '删除这个视频？消息将对所有人删除，且无法恢复。',
  'delete.confirmButton': '删除',
  'delete.keepButton': '保留',
  'delete.done': '视频已删除。',
  'delete.kept': '未删除任何内容。',
  'delete.notDelivered': '只能删除已完成的视频。',
  'delete.failed': 'Discord 拒绝删除该消息（{reason}）。管理员可以检查机器人在此频道的权限。',
} satisfies Record<keyof typeof moderationEnUS, string>;
