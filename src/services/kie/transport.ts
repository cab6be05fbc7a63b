import { request } from 'undici';
import {
  errorFromCode,
  errorFromNonJson,
  errorFromTransport,
  type FailureContext,
  unexpectedAnswer,
} from './error-mapping.js';
import { envelopeMessage, envelopeSchema } from './schemas.js';

export interface KieHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  apiKey: string;
  userAgent: string;
  timeoutMs: number;
  /** JSON body, or a factory for a multipart body (a FormData cannot be sent twice). */
  body?: { json: unknown } | { form: () => FormData };
  /** Take a 2xx JSON object without Kie's envelope as the `data` itself (the catalog may answer so). */
  acceptBare?: boolean;
}

/** A successful Kie answer: body code 200. */
export interface KieAnswer {
  code: number;
  msg: string;
  data: unknown;
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function firstString(value: unknown, ...keys: string[]): string {
  if (typeof value !== 'object' || value === null) return '';
  for (const key of keys) {
    const candidate = (value as Record<string, unknown>)[key];
    if (typeof candidate === 'string') return candidate;
  }
  return '';
}

function isBareData(json: unknown, httpStatus: number | undefined): boolean {
  const ok = httpStatus !== undefined && httpStatus >= 200 && httpStatus < 300;
  return ok && typeof json === 'object' && json !== null && !Array.isArray(json) && !('code' in json);
}

/**
 * One HTTP exchange with Kie, no retry. The timeout covers the whole exchange, body read
 * included. Throws a KieError for everything but a body code 200; `ctx.httpStatus` is filled
 * in once the status line arrived (the request was then certainly sent).
 */
export async function sendKieRequest(req: KieHttpRequest, ctx: FailureContext): Promise<KieAnswer> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${req.apiKey}`,
    'User-Agent': req.userAgent,
    Accept: 'application/json',
  };
  let body: string | FormData | undefined;
  if (req.body && 'json' in req.body) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.body.json);
  } else if (req.body) {
    body = req.body.form();
  }

  // undici's request API, not fetch: a poll costs a third of the CPU (no WHATWG streams), and one
  // timer per exchange, cleared at its end, replaces an AbortSignal.timeout kept alive for 30 s.
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new DOMException('no complete answer in time', 'TimeoutError')),
    req.timeoutMs,
  );
  let text: string;
  let contentType: string | null;
  try {
    const res = await request(req.url, { method: req.method, headers, body, signal: abort.signal });
    ctx.httpStatus = res.statusCode;
    contentType = headerValue(res.headers['content-type']);
    text = await res.body.text();
  } catch (err) {
    throw errorFromTransport(err, ctx, req.timeoutMs);
  } finally {
    clearTimeout(timer);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw errorFromNonJson(contentType, ctx);
  }

  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success && req.acceptBare && isBareData(json, ctx.httpStatus)) {
    return { code: 200, msg: '', data: json };
  }
  if (!envelope.success) {
    // Not Kie's envelope: an error status then most likely comes from a proxy in front of Kie.
    if (ctx.httpStatus !== undefined && ctx.httpStatus >= 400) {
      throw errorFromCode(ctx.httpStatus, firstString(json, 'msg', 'message', 'error'), ctx, false);
    }
    const issue = envelope.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : 'body';
    throw unexpectedAnswer(`${where}: ${issue?.message ?? 'not an envelope'}`, ctx);
  }
  const { code, data } = envelope.data;
  const msg = envelopeMessage(envelope.data);
  if (code !== 200) throw errorFromCode(code, msg, ctx);
  return { code, msg, data };
}
