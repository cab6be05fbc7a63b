/** Messages of /animate-setup and the guardrails, en-US; the zh-CN object below must define the same keys. */
export const setupEnUS = {
  'setup.error.notAdmin': 'Only members with the Manage Server permission can change the bot’s setup.',
  'setup.key.modalTitle': 'Kie AI API key',
  'setup.key.modalLabel': 'API key (from kie.ai/api-key)',
  'setup.key.modalPlaceholder': 'Paste the key here. It is stored encrypted and never shown again.',
  'setup.key.empty': 'The key is empty. Run `/animate-setup key` again and paste it.',
  'setup.key.invalid':
    'Kie AI says this key is not valid, so it was not saved. Copy it again from kie.ai/api-key.',
  'setup.key.unreachable':
    'Kie AI could not be reached to check the key ({detail}), so it was not saved. Please try again in a few minutes.',
  'setup.key.saved':
    'Saved the Kie AI key {masked}. Balance: {credits} credits. Members can now use `/animate`.',
  'setup.key.savedNoCredits':
    'Saved the Kie AI key {masked}, but the account has no credits: jobs will fail until you top it up at kie.ai.',
  'setup.removeKey.confirm':
    'Remove the Kie AI key {masked}? Members cannot use `/animate` until a new key is set. Jobs already running still finish.',
  'setup.removeKey.none': 'This server has no Kie AI key to remove.',
  'setup.removeKey.button': 'Remove the key',
  'setup.removeKey.cancelButton': 'Keep it',
  'setup.removeKey.done': 'The Kie AI key was removed.',
  'setup.removeKey.cancelled': 'Nothing was changed.',
  'setup.webhookKey.modalTitle': 'Kie webhook signing key',
  'setup.webhookKey.modalLabel': 'Webhook HMAC key (from kie.ai/settings)',
  'setup.webhookKey.modalPlaceholder': 'Paste the key here. It is stored encrypted and never shown again.',
  'setup.webhookKey.empty':
    'The webhook key is empty. Run `/animate-setup webhook-key` again and paste it, or set its `remove` option to forget the stored one.',
  'setup.webhookKey.length':
    'That does not look like a webhook key: it should be {min} to {max} characters long. Copy it again from kie.ai/settings. Nothing was saved.',
  'setup.webhookKey.characters':
    'That does not look like a webhook key: it may only hold letters, digits and symbols, without spaces. Copy it again from kie.ai/settings. Nothing was saved.',
  'setup.webhookKey.isApiKey':
    'That is this server’s Kie AI API key, not its webhook key. Copy the webhook HMAC key from kie.ai/settings. Nothing was saved.',
  'setup.webhookKey.saved':
    'Saved the webhook key {masked}. From now on Kie’s callbacks for this server’s jobs count only when signed with it, so make sure webhook signing is on in your Kie account’s settings (unsigned callbacks are refused and videos then arrive only at the slower regular check).',
  'setup.webhookKey.savedUnused':
    'Saved the webhook key {masked}. This bot does not take Kie callbacks (its operator has not set `PUBLIC_URL`), so the key is kept but unused until they do.',
  'setup.webhookKey.removed':
    'The webhook key was removed. Kie’s callbacks for this server are no longer checked for a signature.',
  'setup.webhookKey.none': 'This server has no webhook key to remove.',
  'setup.defaults.saved': 'Server defaults saved.',
  'setup.limits.saved': 'Limits saved.',
  'setup.status.title': 'Animate setup',
  'setup.status.key': 'Kie AI key',
  'setup.status.noKey': 'not set: `/animate-setup key`',
  'setup.status.webhookKey': 'Webhook key',
  'setup.status.webhookKeyUnused': '{masked}, kept but unused: this bot takes no Kie callbacks',
  'setup.status.noWebhookKey': 'not set, callbacks are not signature-checked: `/animate-setup webhook-key`',
  'setup.status.noWebhookKeyUnused': 'not needed: this bot takes no Kie callbacks',
  'setup.status.balance': 'Credits',
  'setup.status.balanceUnknown': 'unknown ({detail})',
  'setup.status.model': 'Model',
  'setup.status.defaults': 'Defaults',
  'setup.status.limits': 'Limits',
  'setup.status.lastJob': 'Latest video',
  'setup.status.lastJobValue': '{before} → {after} credits ({used} used) {when}',
  'setup.status.running': 'Jobs running',
  'setup.value.auto': 'automatic',
  'setup.value.unlimited': 'unlimited',
  'setup.value.yes': 'yes',
  'setup.value.no': 'no',
  'setup.value.anyone': 'everyone',
  'setup.value.never': 'never',
  'confirm.question':
    'This video is estimated at about {estimate} credits, above this server’s {threshold}-credit threshold. Make it?',
  'confirm.button': 'Make it',
  'confirm.cancelButton': 'Cancel',
  'confirm.cancelled': 'Cancelled. No credits were spent.',
  'confirm.expired': 'This confirmation has expired (15 minutes). Run `/animate` again.',
  'setup.defaults.summary': 'Shape: {aspect} · Duration: {duration} · Remove watermark: {watermark}',
  'setup.limits.summary':
    'At once: {maxRunning} · Per member per day: {perDay} · Cooldown: {cooldown} s · Who may use it: {role} · Confirm above: {confirm} credits',
  'limits.notAllowed': 'On this server only members with the {role} role can use `/animate`.',
  'limits.serverBusy':
    'This server is at its limit of {running} video(s) in progress at once. Please try again when one finishes.',
  'limits.daily':
    'You have reached this server’s daily limit of {count} video(s) per member. You can make more {when}.',
  'limits.cooldown': 'Please wait a little between videos: you can start the next one {when}.',
  'limits.duplicate': 'You just asked for this same video; it is already being made.',
} as const;

export const setupZhCN = {
  'setup.error.notAdmin': '只有拥有“管理服务器”权限的成员才能更改机器人的设置。',
  'setup.key.modalTitle': 'Kie AI API 密钥',
  'setup.key.modalLabel': 'API 密钥（来自 kie.ai/api-key）',
  'setup.key.modalPlaceholder': '在此粘贴密钥。密钥将加密保存，之后不会再显示。',
  'setup.key.empty': '密钥为空。请重新运行 `/animate-setup key` 并粘贴密钥。',
  'setup.key.invalid': 'Kie AI 表示该密钥无效，因此未保存。请从 kie.ai/api-key 重新复制。',
  'setup.key.unreachable': '无法连接 Kie AI 来检查密钥（{detail}），因此未保存。请几分钟后再试。',
  'setup.key.saved': '已保存 Kie AI 密钥 {masked}。余额：{credits} 积分。成员现在可以使用 `/animate`。',
  'setup.key.savedNoCredits':
    '已保存 Kie AI 密钥 {masked}，但账户没有积分：在 kie.ai 充值之前，任务都会失败。',
  'setup.removeKey.confirm':
    '要移除 Kie AI 密钥 {masked} 吗？设置新密钥之前，成员将无法使用 `/animate`。正在进行的任务仍会完成。',
  'setup.removeKey.none': '本服务器没有可移除的 Kie AI 密钥。',
  'setup.removeKey.button': '移除密钥',
  'setup.removeKey.cancelButton': '保留',
  'setup.removeKey.done': 'Kie AI 密钥已移除。',
  'setup.removeKey.cancelled': '未做任何更改。',
  'setup.webhookKey.modalTitle': 'Kie 回调签名密钥',
  'setup.webhookKey.modalLabel': '回调签名密钥（来自 kie.ai/settings）',
  'setup.webhookKey.modalPlaceholder': '在此粘贴密钥。密钥将加密保存，之后不会再显示。',
  'setup.webhookKey.empty':
    '回调签名密钥为空。请重新运行 `/animate-setup webhook-key` 并粘贴密钥，或使用其 `remove` 选项删除已保存的密钥。',
  'setup.webhookKey.length':
    '这看起来不是回调签名密钥：长度应为 {min} 到 {max} 个字符。请从 kie.ai/settings 重新复制。未保存任何内容。',
  'setup.webhookKey.characters':
    '这看起来不是回调签名密钥：只能包含字母、数字和符号，不能有空格。请从 kie.ai/settings 重新复制。未保存任何内容。',
  'setup.webhookKey.isApiKey':
    '这是本服务器的 Kie AI API 密钥，而不是回调签名密钥。请从 kie.ai/settings 复制回调签名密钥。未保存任何内容。',
  'setup.webhookKey.saved':
    '已保存回调签名密钥 {masked}。此后，本服务器任务的 Kie 回调只有使用该密钥签名才会被接受，请确认已在 Kie 账户设置中开启回调签名（未签名的回调会被拒绝，视频只能等到较慢的定期检查时送达）。',
  'setup.webhookKey.savedUnused':
    '已保存回调签名密钥 {masked}。本机器人不接收 Kie 回调（运营者未设置 `PUBLIC_URL`），因此密钥会被保留，但在设置之前不会使用。',
  'setup.webhookKey.removed': '回调签名密钥已移除。本服务器的 Kie 回调将不再检查签名。',
  'setup.webhookKey.none': '本服务器没有可移除的回调签名密钥。',
  'setup.defaults.saved': '服务器默认设置已保存。',
  'setup.limits.saved': '限制已保存。',
  'setup.status.title': '动画设置',
  'setup.status.key': 'Kie AI 密钥',
  'setup.status.noKey': '未设置：`/animate-setup key`',
  'setup.status.webhookKey': '回调签名密钥',
  'setup.status.webhookKeyUnused': '{masked}，已保留但未使用：本机器人不接收 Kie 回调',
  'setup.status.noWebhookKey': '未设置，回调不检查签名：`/animate-setup webhook-key`',
  'setup.status.noWebhookKeyUnused': '无需设置：本机器人不接收 Kie 回调',
  'setup.status.balance': '积分',
  'setup.status.balanceUnknown': '未知（{detail}）',
  'setup.status.model': '模型',
  'setup.status.defaults': '默认设置',
  'setup.status.limits': '限制',
  'setup.status.lastJob': '最近的视频',
  'setup.status.lastJobValue': '{before} → {after} 积分（用了 {used}）{when}',
  'setup.status.running': '进行中的任务',
  'setup.value.auto': '自动',
  'setup.value.unlimited': '不限',
  'setup.value.yes': '是',
  'setup.value.no': '否',
  'setup.value.anyone': '所有人',
  'setup.value.never': '从不',
  'confirm.question': '该视频预计约需 {estimate} 积分，超过本服务器 {threshold} 积分的确认阈值。要制作吗？',
  'confirm.button': '制作',
  'confirm.cancelButton': '取消',
  'confirm.cancelled': '已取消，未消耗任何积分。',
  'confirm.expired': '此确认已过期（15 分钟）。请重新运行 `/animate`。',
  'setup.defaults.summary': '画面：{aspect} · 时长：{duration} · 去除水印：{watermark}',
  'setup.limits.summary':
    '同时进行：{maxRunning} · 每位成员每天：{perDay} · 冷却：{cooldown} 秒 · 可使用者：{role} · 超过 {confirm} 积分需确认',
  'limits.notAllowed': '在本服务器，只有拥有 {role} 身份组的成员才能使用 `/animate`。',
  'limits.serverBusy': '本服务器已有 {running} 个视频正在制作，已达上限。请等其中一个完成后再试。',
  'limits.daily': '你今天已制作 {count} 个视频，达到本服务器的每日上限。{when}可以继续制作。',
  'limits.cooldown': '两次制作之间请稍等：{when}可以开始下一个。',
  'limits.duplicate': '你刚刚请求过同样的视频，它正在制作中。',
} satisfies Record<keyof typeof setupEnUS, string>;
