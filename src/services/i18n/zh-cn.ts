import type { MessageKey } from './en-us.js';
import { auditZhCN } from './sections/audit.js';
import { budgetZhCN } from './sections/budget.js';
import { creativeZhCN } from './sections/creative.js';
import { jobsZhCN } from './sections/jobs.js';
import { lifecycleZhCN } from './sections/lifecycle.js';
import { modelsZhCN } from './sections/models.js';
import { moderationZhCN } from './sections/moderation.js';
import { quotaZhCN } from './sections/quota.js';
import { retentionZhCN } from './sections/retention.js';
import { setupZhCN } from './sections/setup.js';
import { videoActionsZhCN } from './sections/video-actions.js';

/** The zh-CN catalogue; the type makes a missing or extra key a compile error. */
export const zhCN: Record<MessageKey, string> = {
  ...setupZhCN,
  ...modelsZhCN,
  ...jobsZhCN,
  ...lifecycleZhCN,
  ...retentionZhCN,
  ...moderationZhCN,
  ...quotaZhCN,
  ...creativeZhCN,
  ...videoActionsZhCN,
  ...auditZhCN,
  ...budgetZhCN,
  'error.generic': '我们这边出了点问题，请稍后再试。（参考编号：{ref}）',
  'error.unknownComponent': '此按钮或表单已失效，请重新运行命令。',
  'error.unknownCommand': '机器人已不认识该命令。请刷新 Discord 后重试。',
  'error.badOptions': '该命令的某些选项缺失或不符合要求。请从菜单中重新运行。',
  'error.guildOnly': '`/animate` 只能在服务器中使用，不能在私信中使用。',
  'error.storeUnavailable': '机器人暂时无法访问存储，请稍后再试。',
  'error.restarting': '机器人正在重启，请一分钟后再试；没有开始任何任务，也没有消耗额度。',
  'error.noKey': '本服务器尚未设置 Kie AI 密钥，无法生成视频。服务器管理员可以用 `/animate-setup key` 添加。',
  'error.keyUnreadable':
    '本服务器的 Kie AI 密钥已无法读取（机器人的加密密钥已更换）。请管理员用 `/animate-setup key` 重新设置。',
  'error.unknownModel': '机器人不认识模型 {model}。管理员可以用 `/animate-setup model` 选择其他模型。',
  'error.imageType': '该文件的类型是 {type}。请附上 {allowed} 格式的图片。',
  'error.imageTypeLies': '该文件声称是 {claimed}，但其内容不是模型接受的图片（{allowed}）。',
  'error.imageTooLarge': '该图片大小为 {size}，上限为 {limit}。请附上更小的图片。',
  'error.imageEmpty': '该图片是空的（0 字节）。请重新附上。',
  'error.imageUnreachable': 'Discord 未能提供你的图片（{reason}）。请重新运行命令。',
  'error.promptEmpty': '请描述你想要的动作：提示词为空。',
  'error.promptTooLong': '提示词长度为 {length} 个字符；{model} 最多接受 {limit} 个字符。',
  'error.durationUnsupported': '{model} 只能生成 {allowed} 秒的视频，不支持 {asked} 秒。',
  'error.kie.invalidKey':
    'Kie AI 拒绝了本服务器的密钥（无效或已撤销）。服务器管理员可以用 `/animate-setup key` 设置新密钥。',
  'error.kie.insufficientCredits':
    '本服务器的 Kie AI 账户积分不足。服务器管理员可以在 kie.ai 充值；`/animate-setup status` 可查看余额。',
  'error.kie.validation': 'Kie AI 未接受该请求：{detail}',
  'error.kie.rateLimited': 'Kie AI 正忙于处理本服务器的请求，请一分钟后再试。',
  'error.kie.subKeyLimited':
    '本服务器的 Kie AI 密钥已达到其 Kie AI 账户为它设定的上限（代码 433），因此没有开始任何任务，也不会重试。服务器管理员可以在 kie.ai 提高该密钥的上限，或使用 `/animate-setup key` 设置另一个密钥。',
  'error.kie.maintenance': 'Kie AI 正在维护，请稍后再试。',
  'error.kie.upstream': 'Kie AI 出现问题（{detail}）。请几分钟后再试。',
  'error.kie.modelUnavailable':
    'Kie AI 表示模型 {model} 目前不可用。服务器管理员可以用 `/animate-setup model` 切换模型。',
  'error.kie.ambiguousSubmit':
    'Kie AI 未及时响应，机器人无法确定任务是否已开始。为避免重复扣费，未自动重试。请确认后再重试。',
  'job.failed.generation': '视频生成失败：{reason}',
  'job.failed.contentPolicy': 'Kie AI 依据其内容政策拒绝了该图片或提示词：{reason}',
  'job.failed.lostTask': '机器人在提交任务时重启，无法确定 Kie AI 是否已开始该任务。可能已扣除积分，请重试。',
  'job.failed.unknownTask': 'Kie AI 已找不到该任务，请重试。',
  'job.failed.keyRevoked': '在生成视频期间，Kie AI 停止接受本服务器的密钥。',
  'job.failed.discord':
    '视频已生成，但 Discord 拒绝了所有发布方式（{reason}）。管理员可以检查机器人在本频道的权限。视频在此保留约一天：{url}',
  'job.failed.restartedBeforeStart':
    '机器人在你的视频开始制作前重启了。没有向 Kie AI 发送任何请求，也没有消耗积分。请重新运行命令。',
  'job.failed.download':
    '视频已生成，但机器人在两小时内都无法下载它（{reason}）。视频在 Kie AI 保存约一天：{url}',
  'job.expired': 'Kie AI 未能在 {minutes} 分钟内完成该视频，机器人已停止等待。',
  'status.title': '正在为你的图片制作动画',
  'status.queued': '在 Kie AI 排队中',
  'status.generating': '生成中',
  'status.downloading': '正在下载视频',
  'status.uploading': '正在上传到 Discord',
  'status.started': '开始于 {when}',
  'status.field.state': '状态',
  'status.field.model': '模型',
  'status.field.duration': '时长',
  'status.field.aspect': '画面',
  'status.field.job': '任务',
  'status.aspect.portrait': '竖屏',
  'status.aspect.landscape': '横屏',
  'status.aspect.fromImage': '{aspect}（根据你的图片）',
  'status.seconds': '{seconds} 秒',
  'status.estimate': '约 {credits} 积分',
  'status.field.credits': 'Kie AI 余额',
  'status.credits': '{before} → {after} 积分',
  'status.field.cost': '预计费用',
  'result.title': '你的视频已完成',
  'result.failedTitle': '这次没有生成视频',
  'result.done': '{mention} 你的视频已完成。',
  'result.doneLink':
    '{mention} 你的视频已完成：{url}\n（视频大小为 {size}，超过本回复可承载的 {limit}，因此提供链接。Kie 约保留一天，请及时保存。）',
  'result.doneLinkUnknownSize':
    '{mention} 你的视频已完成：{url}\n（视频太大，无法在此上传，因此提供链接。Kie 约保留一天，请及时保存。）',
  'result.failed': '{mention} 你的视频未能生成。{reason}',
  'result.failedNoMention': '你的视频未能生成。{reason}',
  'result.prompt': '提示词：{prompt}',
};
