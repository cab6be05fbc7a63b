import { type BadInput, button, MODEL, modal, PROMPT_LIMIT, t } from './bad-input-case.js';

/** Bad buttons and modals: unknown, forged, foreign, over the limit. */
export const componentInputs: BadInput[] = [
  {
    id: 'B32',
    name: 'an unknown button',
    send: (ctx) => button(ctx, 'frobnicate:1234'),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'B33',
    name: 'a forged again:zzzz',
    send: (ctx) => button(ctx, 'again:zzzz'),
    expect: { text: t('en-US', 'job.notFound') },
  },
  {
    id: 'B34',
    name: 'a forged retry with a path in it',
    send: (ctx) => button(ctx, 'retry:../../settings:1'),
    expect: { text: t('en-US', 'job.notFound') },
  },
  {
    id: 'B35',
    name: 'cancel:<another guild’s job>',
    send: (ctx) => button(ctx, `cancel:${ctx.jobId}`, { guild: 0, user: ctx.owner }),
    expect: { text: t('en-US', 'job.notFound') },
  },
  {
    id: 'B36',
    name: 'cancel of someone else’s job by a member',
    send: (ctx) => button(ctx, `cancel:${ctx.jobId}`, { guild: 1 }),
    expect: { text: t('en-US', 'job.notYours', { owner: '<@OWNER>' }) },
  },
  {
    id: 'B37',
    name: 'retry of someone else’s job',
    send: (ctx) => button(ctx, `retry:${ctx.jobId}`, { guild: 1 }),
    expect: { text: t('en-US', 'job.notYoursRetry', { owner: '<@OWNER>' }) },
  },
  {
    id: 'B38',
    name: 'cancel of a finished job by its owner',
    send: (ctx) => button(ctx, `cancel:${ctx.jobId}`, { guild: 1, user: ctx.owner }),
    expect: { text: t('en-US', 'job.alreadyEnded') },
  },
  {
    id: 'B39',
    name: '“again” sent as a select menu',
    send: (ctx) => button(ctx, `again:${ctx.jobId}`, { guild: 1, componentType: 3 }),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'B40',
    name: 'a forged jobs page (unknown scope)',
    send: (ctx) => button(ctx, 'jobs-page:everyone:1'),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'B41',
    name: 'the server’s jobs page by a member without Manage Server',
    send: (ctx) => button(ctx, 'jobs-page:server:1'),
    expect: { text: t('en-US', 'jobs.error.notAdmin') },
  },
  {
    id: 'B42',
    name: 'an unknown modal',
    send: (ctx) => modal(ctx, 'feedback-modal', { text: 'hello' }),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'B43',
    name: 'a Remix modal for an unknown job',
    send: (ctx) => modal(ctx, 'remix-modal:zzzz', { prompt: 'dance' }),
    expect: { text: t('en-US', 'job.notFound') },
  },
  {
    id: 'B44',
    name: 'a Remix modal for another guild’s job',
    send: (ctx) => modal(ctx, `remix-modal:${ctx.jobId}`, { prompt: 'dance' }, 0),
    expect: { text: t('en-US', 'job.notFound') },
  },
  {
    id: 'B45',
    name: 'a Remix modal whose prompt is over the limit (modal value forged past 4,000)',
    send: (ctx) => modal(ctx, `remix-modal:${ctx.jobId}`, { prompt: 'b'.repeat(PROMPT_LIMIT + 1) }),
    expect: {
      text: t('en-US', 'error.promptTooLong', {
        length: PROMPT_LIMIT + 1,
        limit: PROMPT_LIMIT,
        model: MODEL,
      }),
    },
  },
  {
    id: 'B46',
    name: 'a Remix modal with a blank prompt',
    send: (ctx) => modal(ctx, `remix-modal:${ctx.jobId}`, { prompt: '  \u0000 ' }),
    expect: { text: t('en-US', 'error.promptEmpty') },
  },
  {
    id: 'B47',
    name: 'a Remix modal without its prompt field',
    send: (ctx) => modal(ctx, `remix-modal:${ctx.jobId}`, { note: 'dance' }),
    expect: { specific: true },
  },
  {
    id: 'B48',
    name: 'Extend on a Sora 2 video (no native extend)',
    send: (ctx) => button(ctx, `extend:${ctx.jobId}`, { guild: 1 }),
    expect: { text: t('en-US', 'extend.none', { model: MODEL }) },
  },
  {
    id: 'B49',
    name: 'an Extend form forged for a Sora 2 video',
    send: (ctx) => modal(ctx, `extend-modal:${ctx.jobId}`, { prompt: 'and then it flies' }),
    expect: { text: t('en-US', 'extend.none', { model: MODEL }) },
  },
  {
    id: 'B50',
    name: '“Try another model” naming a model the bot does not know',
    send: (ctx) => button(ctx, `try-model:${ctx.jobId}`, { guild: 1, componentType: 3 }),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'B51',
    name: '“Try another model” sent as a button',
    send: (ctx) => button(ctx, `try-model:${ctx.jobId}`, { guild: 1 }),
    expect: { text: t('en-US', 'error.unknownComponent') },
  },
  {
    id: 'Z5',
    name: 'zh-CN: a forged again:zzzz',
    send: (ctx) => button(ctx, 'again:zzzz', { locale: 'zh-CN' }),
    expect: { text: t('zh-CN', 'job.notFound') },
  },
  {
    id: 'Z6',
    name: 'zh-CN: an unknown modal',
    send: (ctx) => modal(ctx, 'feedback-modal', { text: '你好' }, 1, 'zh-CN'),
    expect: { text: t('zh-CN', 'error.unknownComponent') },
  },
];
