import { createHmac } from 'node:crypto';
import type { StandInContext } from './context.js';
import type { CallbackRecord, StandInTask } from './types.js';

/** base64(HMAC-SHA256(hmacKey, `${taskId}.${timestamp}`)), as Kie signs callbacks. */
export function signCallback(hmacKey: string, taskId: string, timestamp: string): string {
  return createHmac('sha256', hmacKey).update(`${taskId}.${timestamp}`).digest('base64');
}

/**
 * POSTs the recordInfo-shaped body to the task's callBackUrl. Anything but HTTP 200 within the
 * timeout is a failed try; Kie gives up after 3 tries. Every try is recorded in `ctx.callbacks`.
 */
export async function deliverCallback(
  ctx: StandInContext,
  task: StandInTask,
  url: string,
  data: Record<string, unknown>,
): Promise<void> {
  const success = data.state === 'success';
  const body = {
    code: success ? 200 : 501,
    msg: success ? 'Playground task completed successfully.' : 'Playground task failed.',
    data,
  };
  const text = JSON.stringify(body);
  for (let attempt = 1; attempt <= ctx.options.callbackAttempts; attempt += 1) {
    if (ctx.closed) return;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'kie-stand-in/1.0',
    };
    const record: CallbackRecord = {
      taskId: task.taskId,
      url,
      status: 'error',
      at: Date.now(),
      attempt,
      body,
    };
    const hmacKey = ctx.hmacKeys.get(task.apiKey);
    if (hmacKey !== undefined) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signCallback(hmacKey, task.taskId, timestamp);
      headers['x-webhook-timestamp'] = timestamp;
      headers['x-webhook-signature'] = signature;
      record.timestamp = timestamp;
      record.signature = signature;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: text,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.options.callbackTimeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
    } catch {
      record.status = 'error';
    }
    if (ctx.closed) return;
    record.at = Date.now();
    ctx.callbacks.push(record);
    if (record.status === 200) return;
    if (attempt < ctx.options.callbackAttempts) await ctx.sleep(ctx.options.callbackRetryDelayMs);
  }
}
