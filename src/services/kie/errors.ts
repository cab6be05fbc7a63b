/** The Kie routes the client calls; carried by every error and log line instead of a URL. */
export type KieRoute =
  | 'createTask'
  | 'recordInfo'
  | 'credit'
  | 'fileUrlUpload'
  | 'fileStreamUpload'
  | 'downloadUrl'
  | 'models';

/**
 * Every kind of Kie failure: what it means, and whether repeating the same call may succeed
 * (`retryable`, the default; the mapping narrows it for createTask, see `ambiguous`).
 */
export const kieErrorKinds = {
  /** 401 / 403: key missing, wrong, revoked or refused by the key's IP allow-list. */
  'invalid-key': { retryable: false, summary: 'API key rejected' },
  /** 402: not enough credits. */
  'insufficient-credits': { retryable: false, summary: 'not enough credits' },
  /** 422, or 500 whose msg says a field is required. `detail` holds Kie's msg naming the field. */
  validation: { retryable: false, summary: 'request rejected as invalid' },
  /** 429: the request was rejected, not queued. */
  'rate-limited': { retryable: true, summary: 'rate limited' },
  /**
   * 433: a sub-key hit the limit its account set for it. A 429 for that key, but one that
   * lasts until someone raises the limit: not repeated, the admin is told.
   */
  'sub-key-limited': { retryable: false, summary: 'this sub-key is over its own limit' },
  /** 455: Kie is under maintenance. */
  maintenance: { retryable: true, summary: 'under maintenance' },
  /** 500 and other 5xx (retryable), or a code the client does not know (not retryable). */
  upstream: { retryable: true, summary: 'server error' },
  /** 501: Kie says generation failed. */
  'generation-failed': { retryable: false, summary: 'generation failed' },
  /** 505: the feature is disabled, e.g. a paused or withdrawn model (`model` when known). */
  'feature-disabled': { retryable: false, summary: 'feature disabled' },
  /** recordInfo for a task Kie does not know (422 "recordInfo is null", or 404). */
  'unknown-task': { retryable: false, summary: 'unknown task' },
  /** A body that is not JSON (a CDN's HTML error page, or broken JSON). Transient. */
  'non-json': { retryable: true, summary: 'answer is not JSON' },
  /** JSON that is not the documented shape. Repeating the call will not change it. */
  'unexpected-answer': { retryable: false, summary: 'unexpected answer' },
  /** A task in state `success` whose `resultJson` is missing, not JSON or has no result URL (`taskId`). */
  'malformed-result': { retryable: false, summary: 'malformed result' },
  /** The request (or the read of its body) took longer than `timeoutMs`. */
  timeout: { retryable: true, summary: 'timed out' },
  /** Connection refused, reset, DNS failure. `requestSent` is false when Kie cannot have seen it. */
  network: { retryable: true, summary: 'network error' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type KieErrorKind = keyof typeof kieErrorKinds;

/** What some kinds carry besides the common fields. */
interface KindData {
  'feature-disabled': { model?: string | undefined };
  'malformed-result': { taskId: string };
  network: { requestSent: boolean };
}

type DataOf<K extends KieErrorKind> = K extends keyof KindData ? KindData[K] : unknown;

export interface KieErrorInit {
  route: KieRoute;
  /** Kie's body `code`, when an envelope was read. */
  code?: number | undefined;
  httpStatus?: number | undefined;
  /** Kie's own `msg`, with the API key masked out. */
  detail?: string | undefined;
  /** Overrides the kind's default (createTask narrows it: see `ambiguous`). */
  retryable?: boolean | undefined;
  ambiguous?: boolean | undefined;
  cause?: unknown;
}

/** A KieError of one kind, with that kind's own data (`model`, `taskId`, `requestSent`) typed. */
export type KieErrorOf<K extends KieErrorKind> = KieError<K> & DataOf<K>;

/**
 * Every error the Kie client throws; `kind` says which (see {@link kieErrorKinds}). `message`
 * never contains the API key. `retryable` says whether repeating the same call may succeed;
 * the client already retried it (bounded) before throwing.
 */
export class KieError<K extends KieErrorKind = KieErrorKind> extends Error {
  override readonly name = 'KieError';
  readonly kind: K;
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
  /** feature-disabled: the model of the createTask request, when known. */
  readonly model?: string;
  /** malformed-result: the task whose result could not be read. */
  readonly taskId?: string;
  /** network: false when the request cannot have left this host (Kie cannot have seen it). */
  readonly requestSent?: boolean;

  constructor(kind: K, message: string, init: KieErrorInit & DataOf<K>) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.route = init.route;
    this.retryable = init.retryable ?? kieErrorKinds[kind].retryable;
    this.ambiguous = init.ambiguous ?? false;
    if (init.code !== undefined) this.code = init.code;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.detail !== undefined) this.detail = init.detail;
    if ('model' in init && typeof init.model === 'string') this.model = init.model;
    if ('taskId' in init && typeof init.taskId === 'string') this.taskId = init.taskId;
    if ('requestSent' in init && typeof init.requestSent === 'boolean') this.requestSent = init.requestSent;
  }
}

/** True for any KieError, or (with `kinds`) for one of those kinds, typed with its data. */
export function isKieError<K extends KieErrorKind = KieErrorKind>(
  err: unknown,
  ...kinds: K[]
): err is KieErrorOf<K> {
  return err instanceof KieError && (kinds.length === 0 || (kinds as KieErrorKind[]).includes(err.kind));
}
