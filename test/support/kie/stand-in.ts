import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCatalog } from './catalog.js';
import { StandInContext } from './context.js';
import { applyFault, DEFAULT_MESSAGES, faultRouteOf } from './faults.js';
import {
  bearerKey,
  CDN_ERROR_PAGE,
  classifyRoute,
  flattenHeaders,
  readBody,
  sendRaw,
  summarizeBody,
} from './http.js';
import { loadSampleVideo, padMp4 } from './media.js';
import { TaskRecord } from './task-record.js';
import { handleCreateTask, handleRecordInfo } from './tasks.js';
import type { KieStandIn, KieStandInOptions, RecordedRequest, RouteName } from './types.js';
import {
  handleBase64Upload,
  handleDownloadUrl,
  handleStreamUpload,
  handleUrlUpload,
  serveFile,
} from './uploads.js';

export { signCallback } from './callbacks.js';
export { catalogIds } from './catalog.js';
export { DEFAULT_SCRIPT } from './context.js';
export { loadSampleVideo, padMp4, SAMPLE_MP4_URL, sniffMime } from './media.js';
export { registerModelSchema } from './schemas.js';
export { IMAGE_FETCH_FAIL } from './tasks.js';
export type * from './types.js';

/**
 * Starts a local stand-in of Kie's jobs, credit and file-upload APIs on 127.0.0.1 (random port),
 * following ../shared/docs/kie-api.md, awkward parts included.
 */
export async function startKieStandIn(options: KieStandInOptions = {}): Promise<KieStandIn> {
  const ctx = new StandInContext(options, await loadSampleVideo());
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch(() => sendRaw(res, 500, 'text/plain', 'stand-in error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: ctx.url,
    requests: ctx.requests,
    tasks: ctx.tasks,
    files: ctx.files,
    callbacks: ctx.callbacks,
    video: ctx.video,
    count: (route) => ctx.requests.filter((r) => r.route === route).length,
    setKey: (key, credits) => void ctx.keys.set(key, credits),
    removeKey: (key) => void ctx.keys.delete(key),
    credits: (key) => ctx.keys.get(key),
    setScript: (script) => {
      ctx.script = script;
    },
    scriptNext: (...scripts) => void ctx.nextScripts.push(...scripts),
    finish: (taskId, outcome) => {
      const task = ctx.tasks.get(taskId);
      if (!(task instanceof TaskRecord)) throw new Error(`no task ${taskId}`);
      task.end(outcome);
    },
    expireResultLinks: () => {
      for (const task of ctx.tasks.values())
        if (task instanceof TaskRecord && task.ended) task.resultLinkExpired = true;
    },
    fault: (rule) => ctx.faults.add(rule),
    clearFaults: () => ctx.faults.clear(),
    withdrawModel: (model, answer) =>
      void ctx.withdrawn.set(
        model,
        answer ?? { code: 505, msg: `The model ${model} is currently unavailable` },
      ),
    restoreModel: (model) => void ctx.withdrawn.delete(model),
    setWebhookHmacKey: (apiKey, hmacKey) =>
      void (hmacKey === undefined ? ctx.hmacKeys.delete(apiKey) : ctx.hmacKeys.set(apiKey, hmacKey)),
    setUploadAnswerField: (field) => {
      ctx.options.uploadAnswerField = field;
    },
    setCatalog: (setting, apiKey) => {
      if (apiKey === undefined) ctx.options.catalog = setting;
      else ctx.catalogs.set(apiKey, setting);
    },
    setUploadTtl: (ms) => {
      ctx.options.uploadTtlMs = ms;
    },
    expireUploads: () => {
      const now = Date.now();
      for (const file of ctx.files.values()) file.expiresAt = Math.min(file.expiresAt, now);
    },
    paddedVideo: (totalBytes) => padMp4(ctx.video, totalBytes),
    close: async () => {
      ctx.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(ctx: StandInContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.url);
  const method = req.method ?? 'GET';
  const route = classifyRoute(method, url.pathname);
  const headers = flattenHeaders(req);
  const apiKey = bearerKey(headers);
  const raw = await readBody(req);
  const { summary, json, form } = await summarizeBody(raw, headers, url.toString());
  const recorded: RecordedRequest = {
    method,
    path: url.pathname,
    route,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: summary,
    at: Date.now(),
  };
  if (apiKey !== undefined) recorded.apiKey = apiKey;
  ctx.requests.push(recorded);

  if (ctx.options.requireUserAgent && !headers['user-agent']) {
    return sendRaw(res, 403, 'text/html; charset=utf-8', CDN_ERROR_PAGE(403));
  }
  const faultRoute = faultRouteOf(route);
  const rule = ctx.faults.take(faultRoute ?? '*', apiKey, taskIdOf(route, url));
  if (rule && (await applyFault(rule, faultRoute ?? '*', res, (ms) => ctx.sleep(ms))) === 'answered') return;
  if (ctx.closed) return;
  const answerLateMs = rule?.kind === 'late' ? (rule.delayMs ?? 1000) : 0;

  if (route === 'result') return serveResult(ctx, res, url);
  if (route === 'files') return serveFile(ctx, res, url.pathname);
  if (route === 'other') return ctx.answer(res, 404, DEFAULT_MESSAGES[404] ?? 'Not Found');
  if (apiKey === undefined || !ctx.keys.has(apiKey)) return ctx.answer(res, 401, DEFAULT_MESSAGES[401] ?? '');

  switch (route) {
    case 'createTask':
      return handleCreateTask(ctx, res, apiKey, json, answerLateMs);
    case 'recordInfo':
      return handleRecordInfo(ctx, res, apiKey, url.searchParams.get('taskId') ?? undefined);
    case 'credit':
      return ctx.answer(res, 200, 'success', ctx.keys.get(apiKey));
    case 'file-url-upload':
      return handleUrlUpload(ctx, res, apiKey, json);
    case 'file-base64-upload':
      return handleBase64Upload(ctx, res, apiKey, json);
    case 'file-stream-upload':
      return handleStreamUpload(ctx, res, apiKey, form);
    case 'download-url':
      return handleDownloadUrl(ctx, res, json);
    case 'models':
      return handleCatalog(ctx, res, apiKey, url.searchParams);
  }
}

/** The task a request is about: the id in a result link's path, or recordInfo's `taskId`. */
function taskIdOf(route: RouteName, url: URL): string | undefined {
  if (route === 'recordInfo') return url.searchParams.get('taskId') ?? undefined;
  if (route !== 'result') return undefined;
  const match = /^\/results\/(.+)\.mp4$/.exec(url.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function serveResult(ctx: StandInContext, res: ServerResponse, url: URL): void {
  const taskId = taskIdOf('result', url);
  const task = taskId ? ctx.tasks.get(taskId) : undefined;
  if (!(task instanceof TaskRecord) || task.outcome?.kind !== 'success') {
    sendRaw(res, 404, 'text/plain', 'Not Found');
    return;
  }
  // A download-url link (token + expires) lives 20 minutes; the bare result URL until it is expired.
  const expires = url.searchParams.get('expires');
  const linkAlive =
    url.searchParams.has('token') && expires !== null
      ? Number(expires) > Date.now()
      : !task.resultLinkExpired;
  if (!linkAlive) {
    sendRaw(res, 404, 'text/plain', 'Not Found');
    return;
  }
  const { videoBytes, resultUrlStatus, resultAnswer } = task.outcome;
  if (resultAnswer) {
    res.writeHead(resultAnswer.status, resultAnswer.headers).end(resultAnswer.body ?? '');
    return;
  }
  if (resultUrlStatus !== undefined && resultUrlStatus !== 200) {
    sendRaw(res, resultUrlStatus, 'text/plain', `HTTP ${resultUrlStatus}`);
    return;
  }
  sendRaw(res, 200, 'video/mp4', videoBytes === undefined ? ctx.video : ctx.paddedVideo(videoBytes));
}
