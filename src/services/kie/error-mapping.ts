import {
  type KieError,
  KieFeatureDisabledError,
  KieGenerationFailedError,
  KieInsufficientCreditsError,
  KieInvalidKeyError,
  KieMaintenanceError,
  KieNetworkError,
  KieNonJsonError,
  KieRateLimitedError,
  type KieRoute,
  KieTimeoutError,
  KieUnexpectedAnswerError,
  KieUnknownTaskError,
  KieUpstreamError,
  KieValidationError,
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

/**
 * Maps Kie's code to a named error. `fromEnvelope` is false when the code is only the HTTP
 * status of a JSON body without Kie's envelope (a proxy or CDN answered, not Kie).
 */
export function errorFromCode(code: number, msg: string, ctx: FailureContext, fromEnvelope = true): KieError {
  const detail = cleanDetail(msg, ctx);
  const base = { route: ctx.route, code, httpStatus: ctx.httpStatus, detail };
  const text = detail ?? '';
  if (code === 401 || code === 403) {
    return new KieInvalidKeyError(describe(ctx, 'API key rejected', code, detail), base);
  }
  if (code === 402)
    return new KieInsufficientCreditsError(describe(ctx, 'not enough credits', code, detail), base);
  if (ctx.route === 'recordInfo' && (code === 404 || (code === 422 && /recordinfo is null/i.test(text)))) {
    return new KieUnknownTaskError(describe(ctx, 'unknown task', code, detail), base);
  }
  if (code === 422 || (code === 500 && /required/i.test(text))) {
    return new KieValidationError(describe(ctx, 'request rejected as invalid', code, detail), base);
  }
  if (code === 429) return new KieRateLimitedError(describe(ctx, 'rate limited', code, detail), base);
  if (code === 455) return new KieMaintenanceError(describe(ctx, 'under maintenance', code, detail), base);
  if (code === 501)
    return new KieGenerationFailedError(describe(ctx, 'generation failed', code, detail), base);
  if (code === 505) {
    return new KieFeatureDisabledError(describe(ctx, 'feature disabled', code, detail), {
      ...base,
      model: ctx.model,
    });
  }
  if (code >= 500) {
    // Kie's own 500 on createTask: it may have stored the task before failing, so no repeat.
    return new KieUpstreamError(describe(ctx, 'server error', code, detail), {
      ...base,
      retryable: ctx.idempotent,
      ambiguous: !ctx.idempotent && !fromEnvelope,
    });
  }
  return new KieUpstreamError(describe(ctx, 'unexpected error code', code, detail), {
    ...base,
    retryable: false,
  });
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
  if (ctx.httpStatus === 429) return new KieRateLimitedError(describe(ctx, 'rate limited by the CDN'), base);
  const what = contentType ? contentType.split(';')[0] : 'no content type';
  return new KieNonJsonError(describe(ctx, `${problem ?? 'answer is not JSON'} (${what})`), {
    ...base,
    retryable: ctx.idempotent,
    ambiguous: !ctx.idempotent,
  });
}

/** JSON that is not the documented shape; `problem` names the first mismatch (no values). */
export function unexpectedAnswer(problem: string, ctx: FailureContext, code?: number): KieError {
  return new KieUnexpectedAnswerError(describe(ctx, `unexpected answer (${problem})`, code), {
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
    return new KieTimeoutError(describe(ctx, summary), {
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
  return new KieNetworkError(describe(ctx, summary), {
    ...base,
    requestSent: !notSent,
    retryable: notSent || ctx.idempotent,
    ambiguous: !notSent && !ctx.idempotent,
  });
}

// Words that, right before or after "model" or the model's name, say the model cannot be used.
const UNAVAILABLE_BEFORE = 'unknown|unsupported|invalid|disabled|paused|unavailable|deprecated|withdrawn';
const UNAVAILABLE_AFTER =
  'unknown|not supported|unsupported|paused|disabled|unavailable|not available|not found|does not exist|not exist|offline|withdrawn|deprecated';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when Kie says the model itself cannot be used: 505 (feature disabled), or a 4xx/5xx
 * answer whose msg says the model (by name or as "model") is unknown, unsupported, paused,
 * disabled… A msg that merely mentions the model (e.g. about one of its fields) does not count,
 * nor do key, credit, rate-limit, maintenance, generation or transport failures.
 */
export function isModelUnavailable(err: unknown, model: string): boolean {
  if (err instanceof KieFeatureDisabledError) return true;
  if (!(err instanceof KieValidationError || err instanceof KieUpstreamError)) return false;
  const code = err.code ?? err.httpStatus;
  if (code === undefined || code < 400 || !err.detail) return false;
  const subject = `(?:model|${escapeRegExp(model)})`;
  const pattern = new RegExp(
    `${subject}\\b[^.;,]{0,25}?\\b(?:${UNAVAILABLE_AFTER})\\b|\\b(?:${UNAVAILABLE_BEFORE})\\b[^.;,]{0,12}?${subject}`,
    'i',
  );
  return pattern.test(err.detail);
}
