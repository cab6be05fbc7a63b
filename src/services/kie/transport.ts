import { type Dispatcher, request } from 'undici';
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
  /** Largest answer read, in bytes; past it the exchange is cut. Default {@link MAX_KIE_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** The connection pool (the client's own Agent); default undici's global one. */
  dispatcher?: Dispatcher;
}

/**
 * Kie's answers are a few KiB at most: anything past 1 MiB is a proxy's page or a fault, and
 * is cut off instead of filling the process's memory.
 */
export const MAX_KIE_BODY_BYTES = 1024 * 1024;

/** A successful Kie answer: body code 200. */
export interface KieAnswer {
  code: number;
  msg: string;
  data: unknown;
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The body as text, or null (and the connection dropped) once it passes `maxBytes`. */
function readCapped(res: Dispatcher.ResponseData, maxBytes: number): Promise<string | null> {
  const body = res.body;
  // undici reports a cut body as an error that nobody waits for.
  const cut = () => body.on('error', () => undefined).destroy();
  const announced = Number(headerValue(res.headers['content-length']) ?? Number.NaN);
  if (announced > maxBytes) {
    cut();
    return Promise.resolve(null);
  }
  // Events, not for await: a poll is one small chunk, and this costs no promise per chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= maxBytes) return void chunks.push(chunk);
      body.removeAllListeners('data');
      cut();
      resolve(null);
    });
    body.once('end', () => resolve(new TextDecoder().decode(Buffer.concat(chunks, total))));
    body.once('error', reject);
  });
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
  const maxBytes = req.maxBodyBytes ?? MAX_KIE_BODY_BYTES;
  let text: string | null;
  let contentType: string | null;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers,
      body,
      signal: abort.signal,
      ...(req.dispatcher ? { dispatcher: req.dispatcher } : {}),
    });
    ctx.httpStatus = res.statusCode;
    contentType = headerValue(res.headers['content-type']);
    text = await readCapped(res, maxBytes);
  } catch (err) {
    throw errorFromTransport(err, ctx, req.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
  if (text === null) throw errorFromNonJson(contentType, ctx, `answer larger than ${maxBytes} bytes`);

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
