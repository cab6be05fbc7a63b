import {
  isKieError,
  KieError,
  type KieErrorInit,
  type KieErrorKind,
  type KieRoute,
  kieErrorKinds,
} from './errors.js';
import { redactKey } from './secrets.js';

/** What the mapper needs to know about the call that failed. */
export interface FailureContext {
  route: KieRoute;
  apiKey: string;
  httpStatus?: number | undefined;
  /** The model of a createTask request, for 505. */
  model?: string | undefined;
  /**
   * False for createTask: a repeat may create a second paid task, so only failures that prove
   * Kie never accepted the request stay retryable, and the others are marked `ambiguous`.
   */
  idempotent: boolean;
}

const MAX_DETAIL = 300;

function cleanDetail(msg: string, ctx: FailureContext): string | undefined {
  const text = redactKey(msg, ctx.apiKey).replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function describe(ctx: FailureContext, summary: string, code?: number, detail?: string): string {
  const codes = [code !== undefined ? `code ${code}` : '', ctx.httpStatus ? `HTTP ${ctx.httpStatus}` : '']
    .filter(Boolean)
    .join(', ');
  return `Kie ${ctx.route}: ${summary}${codes ? ` (${codes})` : ''}${detail ? `: ${detail}` : ''}`;
}

/** Kie's documented codes that name one kind whatever the route (the others depend on it). */
const KIND_OF_CODE: Readonly<Record<number, KieErrorKind>> = {
  401: 'invalid-key',
  403: 'invalid-key',
  402: 'insufficient-credits',
  429: 'rate-limited',
  433: 'sub-key-limited',
  455: 'maintenance',
  501: 'generation-failed',
  505: 'feature-disabled',
};

/**
 * Maps Kie's code to a KieError of the right kind. `fromEnvelope` is false when the code is
 * only the HTTP status of a JSON body without Kie's envelope (a proxy or CDN answered, not Kie).
 */
export function errorFromCode(code: number, msg: string, ctx: FailureContext, fromEnvelope = true): KieError {
  const detail = cleanDetail(msg, ctx);
  const base = { route: ctx.route, code, httpStatus: ctx.httpStatus, detail };
  const text = detail ?? '';
  const error = (
    kind: KieErrorKind,
    extra: Partial<KieErrorInit> = {},
    summary: string = kieErrorKinds[kind].summary,
  ) => new KieError(kind, describe(ctx, summary, code, detail), { ...base, ...extra });
  const known = KIND_OF_CODE[code];
  if (known === 'feature-disabled') {
    return new KieError(known, describe(ctx, kieErrorKinds[known].summary, code, detail), {
      ...base,
      model: ctx.model,
    });
  }
  if (known) return error(known);
  if (ctx.route === 'recordInfo' && (code === 404 || (code === 422 && /recordinfo is null/i.test(text)))) {
    return error('unknown-task');
  }
  if (code === 422 || (code === 500 && /required/i.test(text))) return error('validation');
  if (code >= 500) {
    // Kie's own 500 on createTask: it may have stored the task before failing, so no repeat.
    return error('upstream', { retryable: ctx.idempotent, ambiguous: !ctx.idempotent && !fromEnvelope });
  }
  return error('upstream', { retryable: false }, 'unexpected error code');
}

/**
 * A body that could not be read as JSON: an HTML page from the CDN, broken JSON, or (with
 * `problem`) one too large to read.
 */
export function errorFromNonJson(
  contentType: string | null,
  ctx: FailureContext,
  problem?: string,
): KieError {
  const base = { route: ctx.route, httpStatus: ctx.httpStatus };
  // A CDN's 429 page means the request was turned away before Kie: safe to repeat, even createTask.
  if (ctx.httpStatus === 429)
    return new KieError('rate-limited', describe(ctx, 'rate limited by the CDN'), base);
  const what = contentType ? contentType.split(';')[0] : 'no content type';
  return new KieError('non-json', describe(ctx, `${problem ?? 'answer is not JSON'} (${what})`), {
    ...base,
    retryable: ctx.idempotent,
    ambiguous: !ctx.idempotent,
  });
}

/** JSON that is not the documented shape; `problem` names the first mismatch (no values). */
export function unexpectedAnswer(problem: string, ctx: FailureContext, code?: number): KieError {
  return new KieError('unexpected-answer', describe(ctx, `unexpected answer (${problem})`, code), {
    route: ctx.route,
    code,
    httpStatus: ctx.httpStatus,
    ambiguous: !ctx.idempotent,
  });
}

// Errors that prove the request never left this host: Kie cannot have seen it.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function errorCodes(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 4) return [];
  const own = 'code' in err && typeof err.code === 'string' ? [err.code] : [];
  const nested = 'errors' in err && Array.isArray(err.errors) ? err.errors : [];
  const cause = 'cause' in err ? [err.cause] : [];
  return [...own, ...[...nested, ...cause].flatMap((inner) => errorCodes(inner, depth + 1))];
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** A failure of fetch itself or of reading the body: timeout, refused or reset connection. */
export function errorFromTransport(err: unknown, ctx: FailureContext, timeoutMs: number): KieError {
  const base = { route: ctx.route, httpStatus: ctx.httpStatus, cause: err };
  if (isTimeout(err)) {
    const summary = `no complete answer within ${timeoutMs} ms${ctx.idempotent ? '' : ' (the task may have been created)'}`;
    return new KieError('timeout', describe(ctx, summary), {
      ...base,
      retryable: ctx.idempotent,
      ambiguous: !ctx.idempotent,
    });
  }
  const codes = errorCodes(err);
  const notSent =
    ctx.httpStatus === undefined && codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  const reason = codes[0] ?? (err instanceof Error ? err.message : 'unknown');
  const summary = `network error (${reason})${notSent || ctx.idempotent ? '' : ' (the task may have been created)'}`;
  return new KieError('network', describe(ctx, summary), {
    ...base,
    requestSent: !notSent,
    retryable: notSent || ctx.idempotent,
    ambiguous: !notSent && !ctx.idempotent,
  });
}

// Words that, right after "model" or the model's id, say the model cannot be used.
const UNAVAILABLE_AFTER = [
  'unknown',
  'not supported',
  'unsupported',
  'paused',
  'suspended',
  'disabled',
  'not enabled',
  'unavailable',
  'not available',
  'no longer available',
  'not found',
  'does not exist',
  'not exist',
  'offline',
  'withdrawn',
  'removed',
  'discontinued',
  'deprecated',
  'under maintenance',
].join('|');
// Words that, right before "model" or the model's id ("Unsupported model: …"), say the same.
const UNAVAILABLE_BEFORE = 'unknown|unsupported|invalid|disabled|paused|unavailable|deprecated|withdrawn';
const SAYS_UNAVAILABLE = new RegExp(
  `\\bmodel\\b[^.;,]{0,30}?\\b(?:${UNAVAILABLE_AFTER})\\b|\\b(?:${UNAVAILABLE_BEFORE})\\s*:?\\s*(?:the\\s+)?model\\b`,
  'i',
);
/**
 * A msg naming a request field is about that field ("Invalid prompt for model …", "model … field
 * image_urls is required"), however it names the model: a field problem is the request's fault,
 * and Kie answers the next request with a good field normally.
 */
const FIELD_WORDS =
  /\b(?:fields?|parameters?|params?|arguments?|required|missing|input|prompt|images?|urls?|duration|frames|aspect|ratio|resolution|size|quality|mode|sound|audio|seed|watermark|callback|length|format)\b/i;
// snake_case and camelCase names: image_urls, n_frames, callBackUrl (error codes like
// model_not_found are read as words first).
const FIELD_NAME = /\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z]*\b/;
const MODEL_ERROR_CODE = /\bmodel_([a-z_]+)\b/gi;
const QUOTED = /"[^"]*"|“[^”]*”/g;
// Other model ids ("sora-2-image-to-video-stable") hold words like "image": not fields.
const MODEL_LIKE_TOKEN = /[\w.]+(?:[-/][\w.]+)+/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when Kie says the model itself cannot be used: 505 (feature disabled), or a 4xx/5xx
 * answer whose msg says the model (by id or as "model") is unknown, unsupported, paused,
 * offline, withdrawn, not found… and names no request field. A msg about a field that happens
 * to name the model ("Invalid prompt for model …") does not count, nor do key, credit,
 * rate-limit, maintenance, generation or transport failures.
 */
export function isModelUnavailable(err: unknown, model: string): boolean {
  if (isKieError(err, 'feature-disabled')) return true;
  if (!isKieError(err, 'validation', 'upstream')) return false;
  const code = err.code ?? err.httpStatus;
  if (code === undefined || code < 400 || !err.detail) return false;
  // The model's own id becomes the word "model", so its parts ("image", "video") are not fields.
  // Quoted text may echo the member's own words (a prompt), which must not switch a model off.
  const unquoted = err.detail.replace(QUOTED, ' ');
  const named = model ? unquoted.replace(new RegExp(escapeRegExp(model), 'gi'), ' model ') : unquoted;
  const text = named.replace(MODEL_ERROR_CODE, (_, rest: string) => `model ${rest.replaceAll('_', ' ')}`);
  const withoutIds = text.replace(MODEL_LIKE_TOKEN, ' ');
  if (FIELD_WORDS.test(withoutIds) || FIELD_NAME.test(withoutIds)) return false;
  return SAYS_UNAVAILABLE.test(text);
}
