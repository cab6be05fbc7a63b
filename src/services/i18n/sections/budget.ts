/** Messages of the monthly budget and of /animate-setup usage, en-US; zh-CN must define the same keys. */
export const budgetEnUS = {
  'budget.exceeded':
    'This would cost about {estimate} credits, more than is left of this server’s monthly budget ({left} of {budget} credits). Nothing was spent. The budget starts again {when}.',
  'budget.saved': 'Monthly budget saved: {budget} credits, starting again on day {day} of each month (UTC).',
  'budget.cleared': 'Monthly budget removed: spending is still counted, but no job is refused for it.',
  'budget.field': 'Monthly budget',
  'budget.status':
    '{spent} of {budget} credits spent ({percent} %), {reserved} held by jobs under way · starts again {when}',
  'budget.statusNone':
    'No budget · {spent} credits spent this month, {reserved} held by jobs under way · month starts again {when}',
  'budget.estimatedPart': '{credits} of it estimated (Kie did not say what it charged)',
  'budget.warned': '⚠️ 80 % of the budget was reached {when}',
  'usage.title': 'Usage · {period}',
  'usage.period.7d': 'last 7 days',
  'usage.period.30d': 'last 30 days',
  'usage.period.month': 'this budget month',
  'usage.empty': 'No video finished on this server in this period ({period}).',
  'usage.field.totals': 'Totals',
  'usage.totals':
    '{credits} credits over {jobs} jobs ({estimated} credits estimated) · {delivered} videos · success rate {rate} %',
  'usage.field.topCredits': 'Top members by credits',
  'usage.field.topVideos': 'Top members by videos',
  'usage.field.timeToVideo': 'Median time to video, per model',
  'usage.member.credits': '<@{user}> — {credits} credits',
  'usage.member.videos': '<@{user}> — {videos} videos',
  'usage.model.time': '{model} — {time} ({videos} videos)',
  'usage.none': '—',
  'usage.chart.title': 'Credits per day, by model',
  'usage.chart.axisDay': 'Day (UTC)',
  'usage.chart.axisCredits': 'Credits',
  'usage.chart.alt': 'Chart: credits per day, by model',
} as const;

export const budgetZhCN = {
  'budget.exceeded':
    '此任务预计花费约 {estimate} 积分，超过本服务器每月预算的剩余额度（剩余 {left}，预算 {budget} 积分）。未花费任何积分。预算将于 {when} 重新开始。',
  'budget.saved': '已保存每月预算：{budget} 积分，每月 {day} 日（世界标准时间）重新开始。',
  'budget.cleared': '已取消每月预算：仍会统计花费，但不会因此拒绝任务。',
  'budget.field': '每月预算',
  'budget.status': '已花费 {spent}/{budget} 积分（{percent}%），进行中的任务预留 {reserved} · {when}重新开始',
  'budget.statusNone':
    '未设预算 · 本月已花费 {spent} 积分，进行中的任务预留 {reserved} · 本月于 {when}重新开始',
  'budget.estimatedPart': '其中 {credits} 为估算（Kie 未告知实际扣费）',
  'budget.warned': '⚠️ 已于 {when}达到预算的 80%',
  'usage.title': '用量 · {period}',
  'usage.period.7d': '最近 7 天',
  'usage.period.30d': '最近 30 天',
  'usage.period.month': '本预算月',
  'usage.empty': '本服务器在此期间（{period}）没有完成的视频。',
  'usage.field.totals': '合计',
  'usage.totals':
    '{jobs} 个任务共 {credits} 积分（其中 {estimated} 积分为估算）· {delivered} 个视频 · 成功率 {rate}%',
  'usage.field.topCredits': '积分最多的成员',
  'usage.field.topVideos': '视频最多的成员',
  'usage.field.timeToVideo': '各模型出片时间中位数',
  'usage.member.credits': '<@{user}> — {credits} 积分',
  'usage.member.videos': '<@{user}> — {videos} 个视频',
  'usage.model.time': '{model} — {time}（{videos} 个视频）',
  'usage.none': '无',
  'usage.chart.title': '每日积分（按模型）',
  'usage.chart.axisDay': '日期（世界标准时间）',
  'usage.chart.axisCredits': '积分',
  'usage.chart.alt': '图表：每日积分（按模型）',
} satisfies Record<keyof typeof budgetEnUS, string>;
