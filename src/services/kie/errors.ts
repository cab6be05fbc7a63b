/** The Kie routes the client calls; carried by every error and log line instead of a URL. */
export type KieRoute =
  | 'createTask'
  | 'recordInfo'
  | 'credit'
  | 'fileUrlUpload'
  | 'fileStreamUpload'
  | 'downloadUrl'
  | 'models';

export type KieErrorKind =
  | 'invalid-key'
  | 'insufficient-credits'
  | 'validation'
  | 'rate-limited'
  | 'maintenance'
  | 'upstream'
  | 'generation-failed'
  | 'feature-disabled'
  | 'unknown-task'
  | 'non-json'
  | 'unexpected-answer'
  | 'malformed-result'
  | 'timeout'
  | 'network';

export interface KieErrorInit {
  route: KieRoute;
  /** Kie's body `code`, when an envelope was read. */
  code?: number | undefined;
  httpStatus?: number | undefined;
  /** Kie's own `msg`, with the API key masked out. */
  detail?: string | undefined;
  /** Overrides the class default (createTask narrows it: see `ambiguous`). */
  retryable?: boolean | undefined;
  ambiguous?: boolean | undefined;
  cause?: unknown;
}

/**
 * Base of every error the Kie client throws. `message` never contains the API key.
 * `retryable` says whether repeating the same call may succeed; the client already retried it
 * (bounded) before throwing.
 */
export abstract class KieError extends Error {
  abstract readonly kind: KieErrorKind;
  readonly route: KieRoute;
  readonly retryable: boolean;
  readonly code?: number;
  readonly httpStatus?: number;
  readonly detail?: string;
  /**
   * True when a createTask request may have reached Kie and created a (paid) task although no
   * taskId came back (timeout, reset connection, CDN error page). Never resubmit blindly.
   */
  readonly ambiguous: boolean;

  protected constructor(message: string, init: KieErrorInit, defaultRetryable: boolean) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.route = init.route;
    this.retryable = init.retryable ?? defaultRetryable;
    this.ambiguous = init.ambiguous ?? false;
    if (init.code !== undefined) this.code = init.code;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.detail !== undefined) this.detail = init.detail;
  }
}

/** 401 / 403: key missing, wrong, revoked or refused by the key's IP allow-list. */
export class KieInvalidKeyError extends KieError {
  readonly kind = 'invalid-key';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** 402: not enough credits. */
export class KieInsufficientCreditsError extends KieError {
  readonly kind = 'insufficient-credits';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** 422, or 500 whose msg says a field is required. `detail` holds Kie's msg naming the field. */
export class KieValidationError extends KieError {
  readonly kind = 'validation';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** 429: the request was rejected, not queued. */
export class KieRateLimitedError extends KieError {
  readonly kind = 'rate-limited';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, true);
  }
}

/** 455: Kie is under maintenance. */
export class KieMaintenanceError extends KieError {
  readonly kind = 'maintenance';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, true);
  }
}

/** 500 and other 5xx (retryable), or a code the client does not know (not retryable). */
export class KieUpstreamError extends KieError {
  readonly kind = 'upstream';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, true);
  }
}

/** 501: Kie says generation failed. */
export class KieGenerationFailedError extends KieError {
  readonly kind = 'generation-failed';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** 505: the feature is disabled, e.g. a paused or withdrawn model (`model` when known). */
export class KieFeatureDisabledError extends KieError {
  readonly kind = 'feature-disabled';
  readonly model?: string;
  constructor(message: string, init: KieErrorInit & { model?: string | undefined }) {
    super(message, init, false);
    if (init.model !== undefined) this.model = init.model;
  }
}

/** recordInfo for a task Kie does not know (422 "recordInfo is null", or 404). */
export class KieUnknownTaskError extends KieError {
  readonly kind = 'unknown-task';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** A body that is not JSON (a CDN's HTML error page, or broken JSON). Transient. */
export class KieNonJsonError extends KieError {
  readonly kind = 'non-json';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, true);
  }
}

/** JSON that is not the documented shape. Repeating the call will not change it. */
export class KieUnexpectedAnswerError extends KieError {
  readonly kind = 'unexpected-answer';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, false);
  }
}

/** A task in state `success` whose `resultJson` is missing, not JSON or has no result URL. */
export class KieMalformedResultError extends KieError {
  readonly kind = 'malformed-result';
  readonly taskId: string;
  constructor(message: string, init: KieErrorInit & { taskId: string }) {
    super(message, init, false);
    this.taskId = init.taskId;
  }
}

/** The request (or the read of its body) took longer than `timeoutMs`. */
export class KieTimeoutError extends KieError {
  readonly kind = 'timeout';
  constructor(message: string, init: KieErrorInit) {
    super(message, init, true);
  }
}

/** Connection refused, reset, DNS failure. `requestSent` is false when Kie cannot have seen it. */
export class KieNetworkError extends KieError {
  readonly kind = 'network';
  readonly requestSent: boolean;
  constructor(message: string, init: KieErrorInit & { requestSent: boolean }) {
    super(message, init, true);
    this.requestSent = init.requestSent;
  }
}

export function isKieError(err: unknown): err is KieError {
  return err instanceof KieError;
}
