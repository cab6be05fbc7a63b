import type { ServerResponse } from 'node:http';
import { deliverCallback } from './callbacks.js';
import type { StandInContext } from './context.js';
import { extendSourceProblem } from './extend-schemas.js';
import { TEN_MB } from './media.js';
import { fetchRemote } from './remote.js';
import { isRecord, validateCreateTask } from './schemas.js';
import { TaskRecord } from './task-record.js';

/**
 * How the stand-in fails a task whose image Kie could not use. Kie documents no failCode for this;
 * '400' (a client-side input problem) is our pick. failMsg echoes the error users report.
 */
export const IMAGE_FETCH_FAIL = { failCode: '400', failMsg: 'Failed to fetch the image' } as const;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** `answerLateMs`: the task exists (and may end and call back) this long before Kie answers. */
export async function handleCreateTask(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  json: unknown,
  answerLateMs = 0,
): Promise<void> {
  const now = Date.now();
  const { max, windowMs } = ctx.options.createLimit;
  if (!ctx.admit(ctx.createTimes, apiKey, ctx.options.createLimit)) {
    return ctx.answer(res, 429, `Rate limit exceeded: at most ${max} new tasks per ${windowMs / 1000} s`);
  }

  if (json === undefined) return ctx.answer(res, 422, 'Request body must be JSON');
  const model = isRecord(json) && typeof json.model === 'string' ? json.model : undefined;
  const withdrawn = model === undefined ? undefined : ctx.withdrawn.get(model);
  if (withdrawn) return ctx.answer(res, withdrawn.code, withdrawn.msg, null, withdrawn.httpStatus);

  const checked = validateCreateTask(json);
  if (!checked.ok) return ctx.answer(res, checked.code, checked.msg);
  const body = checked.body;
  const sourceProblem = extendSourceProblem(body.model, body.input, apiKey, ctx.tasks);
  if (sourceProblem) return ctx.answer(res, 422, sourceProblem);

  const balance = ctx.keys.get(apiKey) ?? 0;
  const cost = ctx.options.costPerTask;
  if (balance < cost) return ctx.answer(res, 402, 'Credits insufficient');
  ctx.keys.set(apiKey, balance - cost);

  const taskId = `task_${body.model.replaceAll('/', '-')}_${now}${ctx.nextSerial()}`;
  const script = ctx.nextScripts.shift() ?? ctx.script;
  const task = new TaskRecord(taskId, body.model, body.input, body, apiKey, now, script, cost, (t) =>
    onTaskEnd(ctx, t),
  );
  if (body.callBackUrl !== undefined) task.callBackUrl = body.callBackUrl;
  if (body.progressCallBackUrl !== undefined) task.progressCallBackUrl = body.progressCallBackUrl;
  ctx.tasks.set(taskId, task);
  scheduleEnd(ctx, task);
  if (ctx.options.fetchImages) void fetchTaskImages(ctx, task);
  if (answerLateMs > 0) await ctx.sleep(answerLateMs);
  if (ctx.closed) return;
  ctx.answer(res, 200, 'success', { taskId });
}

function scheduleEnd(ctx: StandInContext, task: TaskRecord): void {
  const end = task.scriptedEnd;
  if (end === undefined) return;
  // Reading the state notices (and triggers) the end. Timers may fire a millisecond early:
  // until the task has ended, look again.
  ctx.later(
    () => {
      void task.state;
      if (!task.ended && Date.now() < end + 1_000) scheduleEnd(ctx, task);
    },
    Math.max(1, end - Date.now()),
  );
}

export function handleRecordInfo(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  taskId: string | undefined,
): void {
  const task = taskId ? ctx.tasks.get(taskId) : undefined;
  // Kie answers an unknown id with HTTP 200 and code 422 "recordInfo is null" (kie-api.md), not 404.
  // Another key's task is unknown to this key.
  if (!(task instanceof TaskRecord) || task.apiKey !== apiKey) {
    ctx.answer(res, 422, 'recordInfo is null', null, 200);
    return;
  }
  ctx.answer(res, 200, 'success', recordInfoData(ctx, task));
}

export function recordInfoData(ctx: StandInContext, task: TaskRecord): Record<string, unknown> {
  const blank = ctx.options.blankFields;
  const state = task.state;
  const data: Record<string, unknown> = {
    taskId: task.taskId,
    model: task.model,
    state,
    param: JSON.stringify(task.request),
    resultJson: state === 'success' ? JSON.stringify({ resultUrls: task.resultUrls }) : blank,
    failCode: task.failCode ?? blank,
    failMsg: task.failMsg ?? blank,
    completeTime: task.completedAt,
    createTime: task.createdAt,
    updateTime: task.updatedAt,
  };
  if (state === 'success' && task.completedAt !== null) data.costTime = task.completedAt - task.createdAt;
  const credits = creditsConsumed(ctx, task);
  if (credits !== 'absent') data.creditsConsumed = credits;
  return data;
}

/** What Kie billed: null while the task runs, then the script's figure or what was charged. */
function creditsConsumed(ctx: StandInContext, task: TaskRecord): number | string | null | 'absent' {
  const scripted = task.script.creditsConsumed;
  if (scripted === 'absent') return 'absent';
  if (!task.ended) return null;
  if (scripted !== undefined) return scripted;
  return task.outcome?.kind === 'fail' && ctx.options.refundFailed ? 0 : task.cost;
}

function onTaskEnd(ctx: StandInContext, task: TaskRecord): void {
  if (task.outcome?.kind === 'success') task.resultUrls = [`${ctx.url}/results/${task.taskId}.mp4`];
  if (task.outcome?.kind === 'fail' && ctx.options.refundFailed && ctx.keys.has(task.apiKey)) {
    ctx.keys.set(task.apiKey, (ctx.keys.get(task.apiKey) ?? 0) + task.cost);
  }
  if (task.callBackUrl) void deliverCallback(ctx, task, task.callBackUrl, recordInfoData(ctx, task));
}

/** Kie downloads the image(s) itself; a URL it cannot use fails the task (jpeg/png/webp, ≤ 10 MB). */
async function fetchTaskImages(ctx: StandInContext, task: TaskRecord): Promise<void> {
  for (const url of imageUrlsOf(task.input)) {
    const got = await fetchRemote(ctx, url, task.apiKey, 30_000);
    if (ctx.closed) return;
    if (!got.ok) {
      task.imageFetch = { url, ok: false, error: got.error, ...(got.status ? { status: got.status } : {}) };
      task.end({ kind: 'fail', ...IMAGE_FETCH_FAIL });
      return;
    }
    const info = { url, status: got.status, bytes: got.bytes.length, mimeType: got.mimeType };
    if (!IMAGE_TYPES.has(got.mimeType)) {
      task.imageFetch = { ...info, ok: false, error: `unsupported type ${got.mimeType}` };
      task.end({ kind: 'fail', failCode: '400', failMsg: 'Unsupported image format: use jpeg, png or webp' });
      return;
    }
    if (got.bytes.length > TEN_MB) {
      task.imageFetch = { ...info, ok: false, error: 'larger than 10 MB' };
      task.end({ kind: 'fail', failCode: '400', failMsg: 'Image file size exceeds the 10MB limit' });
      return;
    }
    task.imageFetch = { ...info, ok: true };
  }
}

function imageUrlsOf(input: Record<string, unknown>): string[] {
  const urls: string[] = [];
  // The first frame's fields, then the last frame's (kie-models-2026-09.md §5).
  for (const field of [
    'image_urls',
    'input_urls',
    'image_url',
    'first_frame_url',
    'last_frame_url',
    'end_image_url',
    'tail_image_url',
  ]) {
    const value = input[field];
    if (typeof value === 'string') urls.push(value);
    if (Array.isArray(value)) urls.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return urls;
}
