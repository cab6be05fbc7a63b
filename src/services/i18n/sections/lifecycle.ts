/** Messages of a job's life after the command (delivery trouble, model fallback, permissions), en-US. */
export const lifecycleEnUS = {
  'error.missingPermissions':
    'The bot cannot post videos in this channel: it is missing {permissions}. A server admin can grant them in the channel’s settings. Nothing was started or spent.',
  'permission.viewChannel': 'View Channel',
  'permission.sendMessages': 'Send Messages',
  'permission.embedLinks': 'Embed Links',
  'permission.attachFiles': 'Attach Files',
  'confirm.modelUnavailable':
    '{unavailable} cannot be used with this server’s Kie AI key right now ({reason}). Make this video with {model} instead ({estimate})? Nothing is spent until you confirm.',
  'confirm.useModel': 'Use {model} this time',
  'confirm.noEstimate': 'no price known',
  'result.fallback': 'Made with {model}: {unavailable} is not available on Kie AI right now.',
  'button.redeliver': 'Try delivery again',
  'job.notYoursRedeliver': 'Only {owner} can ask for this video to be delivered again.',
  'job.redelivering': 'Trying to deliver the video again.',
  'job.failed.unsafeUrl':
    'The video was made, but it could not be downloaded: Kie AI gave an address the bot does not fetch ({reason}).',
  'status.field.charged': 'Cost',
  'status.charged': '{credits} credits (charged by Kie AI)',
} as const;

export const lifecycleZhCN = {
  'error.missingPermissions':
    '机器人无法在此频道发布视频：缺少 {permissions} 权限。服务器管理员可以在频道设置中授予。没有开始任何任务，也没有消耗积分。',
  'permission.viewChannel': '查看频道',
  'permission.sendMessages': '发送消息',
  'permission.embedLinks': '嵌入链接',
  'permission.attachFiles': '附加文件',
  'confirm.modelUnavailable':
    '本服务器的 Kie AI 密钥目前无法使用 {unavailable}（{reason}）。改用 {model} 制作这个视频吗（{estimate}）？确认之前不会消耗任何积分。',
  'confirm.useModel': '本次使用 {model}',
  'confirm.noEstimate': '价格未知',
  'result.fallback': '由 {model} 制作：{unavailable} 目前在 Kie AI 上不可用。',
  'button.redeliver': '重新发送视频',
  'job.notYoursRedeliver': '只有 {owner} 可以要求重新发送这个视频。',
  'job.redelivering': '正在重新发送视频。',
  'job.failed.unsafeUrl': '视频已生成，但无法下载：Kie AI 给出的地址机器人不会访问（{reason}）。',
  'status.field.charged': '费用',
  'status.charged': '{credits} 积分（Kie AI 实际扣除）',
} satisfies Record<keyof typeof lifecycleEnUS, string>;
