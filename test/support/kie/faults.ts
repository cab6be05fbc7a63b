import type { ServerResponse } from 'node:http';
import { CDN_ERROR_PAGE, sendJson, sendRaw } from './http.js';
import type { FaultRoute, FaultRule, RouteName } from './types.js';

export const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'You do not have access permissions',
  402: 'Credits insufficient',
  404: 'Not Found',
  422: 'Validation error',
  429: 'Rate limit exceeded',
  433: 'Sub-key usage limit exceeded',
  455: 'Service unavailable: system maintenance',
  500: 'Internal server error',
  501: 'Generation failed',
  505: 'Feature disabled',
};

const WRONG_SHAPES: Partial<Record<FaultRoute, unknown>> = {
  createTask: { taskid: 1 },
  recordInfo: { taskId: 1, state: 42, resultJson: { resultUrls: 'nope' } },
  credit: { credits: '100' },
  upload: { url: 42 },
  'download-url': { url: 42 },
  models: { total: 1, models: [{ title: 'no id' }] },
};

type ActiveRule = FaultRule & { left: number };

export class FaultBook {
  private readonly rules: ActiveRule[] = [];

  add(rule: FaultRule): { remove(): void } {
    const active: ActiveRule = { ...rule, left: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(active);
    return { remove: () => this.drop(active) };
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first live rule for this route, key and task; using it spends one of its `times`. */
  take(route: FaultRoute, apiKey: string | undefined, taskId?: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.route === route || (r.route === '*' && route !== 'image-fetch')) &&
        (r.apiKey === undefined || r.apiKey === apiKey) &&
        (r.taskId === undefined || r.taskId === taskId),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.drop(rule);
    return rule;
  }

  private drop(rule: ActiveRule): void {
    const index = this.rules.indexOf(rule);
    if (index >= 0) this.rules.splice(index, 1);
  }
}

export function faultRouteOf(route: RouteName): FaultRoute | undefined {
  if (route === 'file-url-upload' || route === 'file-stream-upload' || route === 'file-base64-upload') {
    return 'upload';
  }
  if (route === 'files' || route === 'other') return undefined;
  return route;
}

/**
 * Answers per the rule; 'slow' only waits, so the caller goes on to answer normally, and so does
 * 'late' but on createTask, whose handler holds the answer back itself (the task exists first).
 */
export async function applyFault(
  rule: FaultRule,
  route: FaultRoute,
  res: ServerResponse,
  sleep: (ms: number) => Promise<void>,
): Promise<'answered' | 'continue'> {
  switch (rule.kind) {
    case 'slow':
      await sleep(rule.delayMs ?? 1000);
      return 'continue';
    case 'late':
      if (route !== 'createTask') await sleep(rule.delayMs ?? 1000);
      return 'continue';
    case 'drop':
      res.socket?.destroy();
      return 'answered';
    case 'html': {
      const status = rule.httpStatus ?? 502;
      sendRaw(res, status, 'text/html; charset=utf-8', CDN_ERROR_PAGE(status));
      return 'answered';
    }
    case 'malformed':
      sendRaw(res, 200, 'application/json', '{"code":200,"msg":"success","data":{"taskId":');
      return 'answered';
    case 'wrong-shape':
      sendJson(res, 200, { code: 200, msg: 'success', data: WRONG_SHAPES[route] ?? { unexpected: true } });
      return 'answered';
    case 'status': {
      const code = rule.code ?? 500;
      const msg = rule.msg ?? DEFAULT_MESSAGES[code] ?? 'Error';
      sendJson(res, rule.httpStatus ?? code, { code, msg, data: null });
      return 'answered';
    }
  }
}
