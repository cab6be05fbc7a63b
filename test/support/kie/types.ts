export type TaskState = 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';

export type TaskOutcome =
  | {
      kind: 'success';
      /** Pad the fixture mp4 to this total size with a trailing `free` box. */
      videoBytes?: number;
      /** Answer the result URL with this HTTP status instead of the video (e.g. 404). */
      resultUrlStatus?: number;
      /**
       * Answer the result URL with this instead of the video: a redirect (`Location` header) to
       * wherever a hostile or broken CDN would send the bot, or a page served with status 200.
       */
      resultAnswer?: { status: number; headers?: Record<string, string>; body?: string };
    }
  | { kind: 'fail'; failCode: string; failMsg: string }
  /** Stays `generating` forever. */
  | { kind: 'never' };

export interface TaskScript {
  /** States passed through before the end, each held for the given ms. */
  steps: Array<{ state: 'waiting' | 'queuing' | 'generating'; ms: number }>;
  outcome: TaskOutcome;
  /**
   * recordInfo's and the callback's `creditsConsumed` once the task has ended (null before):
   * default what the stand-in charged (0 for a refunded failure); 'absent' leaves the field out;
   * a string is sent as is (Kie sends numbers as strings at times).
   */
  creditsConsumed?: number | string | null | 'absent';
}

/**
 * What `GET /api/v1/models` answers: 'absent' is a 404 (no catalog), 'all' lists every model the
 * stand-in knows, 'without-sora' the same without any `sora*` id, `{ models }` exactly those ids.
 */
export type CatalogSetting = 'absent' | 'all' | 'without-sora' | { models: readonly string[] };

export interface KieStandInOptions {
  /** Credits per known key; unknown keys get 401. Default `{ 'test-key': 10_000 }`. */
  keys?: Record<string, number>;
  /** Default timeline for new tasks. Default: waiting 20 ms, queuing 20 ms, generating 60 ms, success. */
  script?: TaskScript;
  /** createTask limit per key, sliding window; excess gets 429 and is dropped. Default 20 per 10_000 ms. */
  createLimit?: { max: number; windowMs: number };
  /** Credits charged per successful createTask. Default 30. */
  costPerTask?: number;
  /** Give the charge back when a task ends in `fail`. Default false (kie-api.md says nothing). */
  refundFailed?: boolean;
  /** Fetch the task's image URL(s) like Kie does and fail the task when that fails. Default true. */
  fetchImages?: boolean;
  /** Which link the upload routes answer with (the docs' examples disagree). Default 'downloadUrl'. */
  uploadAnswerField?: 'downloadUrl' | 'fileUrl' | 'both';
  /** Send every error envelope with HTTP 200 (code only in the body). Default false: HTTP status = code. */
  errorsInBody?: boolean;
  /** `failCode`/`failMsg` (and `resultJson`) while not set: '' or null. Kie's docs show both. Default ''. */
  blankFields?: '' | null;
  /** Refuse requests without a User-Agent with a CDN-style HTML 403, as reported for Kie. Default false. */
  requireUserAgent?: boolean;
  /** Callback tries per task end; Kie gives up after 3. Default 3. */
  callbackAttempts?: number;
  /** Pause between callback tries. Default 200 ms. */
  callbackRetryDelayMs?: number;
  /** Callback answer deadline; Kie expects HTTP 200 within 15 s. Default 15_000 ms. */
  callbackTimeoutMs?: number;
  /** The model catalog of every key without one of its own (setCatalog). Default 'absent' (404). */
  catalog?: CatalogSetting;
  /** Answer the catalog inside Kie's `{code, msg, data}` envelope (the doc shows none). Default true. */
  catalogEnvelope?: boolean;
  /** Catalog calls allowed per key and window; excess gets 429. Default 1 per 1000 ms (Kie: 1 per s). */
  catalogLimit?: { max: number; windowMs: number };
  /** Uploaded files answer 404 this long after their upload. Default 24 h (kie-models-2026-09.md §6.4). */
  uploadTtlMs?: number;
}

export type RouteName =
  | 'createTask'
  | 'recordInfo'
  | 'credit'
  | 'file-url-upload'
  | 'file-stream-upload'
  | 'file-base64-upload'
  | 'download-url'
  | 'models'
  | 'result'
  | 'files'
  | 'other';

export interface RecordedRequest {
  method: string;
  path: string;
  route: RouteName;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON, a multipart summary `{ fields, files }`, raw text, or undefined when empty. */
  body: unknown;
  /** Bearer key, when one was sent. */
  apiKey?: string;
  at: number;
}

export interface StandInTask {
  taskId: string;
  model: string;
  input: Record<string, unknown>;
  /** The createTask body as received; recordInfo's `param` is its JSON string. */
  request: Record<string, unknown>;
  callBackUrl?: string;
  progressCallBackUrl?: string;
  apiKey: string;
  createdAt: number;
  script: TaskScript;
  /** Credits charged for this task. */
  cost: number;
  /** Computed from the time since creation and the script. */
  readonly state: TaskState;
  /** Time of the last state change. */
  readonly updatedAt: number;
  completedAt: number | null;
  resultUrls: string[];
  failCode: string | null;
  failMsg: string | null;
  /** How Kie's background fetch of the task's image(s) went (absent until it finished). */
  imageFetch?: {
    url: string;
    ok: boolean;
    status?: number;
    bytes?: number;
    mimeType?: string;
    error?: string;
  };
}

export interface StoredFile {
  filePath: string;
  fileName: string;
  bytes: Buffer;
  mimeType: string;
  uploadedAt: string;
  apiKey: string;
  /** From then on the file answers 404, as Kie deletes uploads after a while (ms epoch). */
  expiresAt: number;
}

export type FaultRoute =
  | 'createTask'
  | 'recordInfo'
  | 'credit'
  | 'upload'
  | 'download-url'
  | 'models'
  | 'result'
  | 'image-fetch'
  /** Every HTTP route of the stand-in (not 'image-fetch', which is the stand-in's own outgoing fetch). */
  | '*';

export type FaultRule = {
  route: FaultRoute;
  kind: /** `{ code, msg }` envelope; HTTP status defaults to `code` (use `httpStatus: 200` for a code inside a 200 body). */
    | 'status'
    /** HTTP 502 (or `httpStatus`) with an HTML page, content-type text/html. */
    | 'html'
    /** HTTP 200, content-type application/json, a body that is not valid JSON. */
    | 'malformed'
    /** Wait `delayMs` (default 1000), then answer normally. */
    | 'slow'
    /**
     * createTask: the task is created (and charged) at once, its answer waits `delayMs` (default
     * 1000): a slow answer from a Kie that already started, whose callback may come first. Other
     * routes: like 'slow'.
     */
    | 'late'
    /** Destroy the socket without answering. */
    | 'drop'
    /** HTTP 200 JSON with code 200 but `data` of the wrong shape (e.g. `{ taskid: 1 }`). */
    | 'wrong-shape';
  code?: number;
  msg?: string;
  httpStatus?: number;
  delayMs?: number;
  /** How many requests the rule hits before it retires. Default Infinity. */
  times?: number;
  /** Only requests carrying this key (for 'image-fetch': tasks created with this key). */
  apiKey?: string;
  /**
   * Only requests about this task: its result links (the bare URL and download-url links, which
   * carry no key) and recordInfo for it.
   */
  taskId?: string;
};

export interface CallbackRecord {
  taskId: string;
  url: string;
  status: number | 'error';
  at: number;
  /** 1-based try number. */
  attempt: number;
  /** The JSON body that was posted. */
  body: unknown;
  /** The signing headers, when a webhook HMAC key was set for the task's api key. */
  timestamp?: string;
  signature?: string;
}

export type CountRoute = Exclude<RouteName, 'other'>;

export interface KieStandIn {
  /** `http://127.0.0.1:PORT`: API routes, upload routes, result files and uploaded files. */
  url: string;
  requests: RecordedRequest[];
  tasks: Map<string, StandInTask>;
  /** Uploaded files by `filePath`. */
  files: Map<string, StoredFile>;
  count(route: CountRoute): number;
  setKey(key: string, credits: number): void;
  removeKey(key: string): void;
  credits(key: string): number | undefined;
  /** Default script for tasks created from now on. */
  setScript(script: TaskScript): void;
  /** One-shot scripts consumed by the next created tasks, in order. */
  scriptNext(...scripts: TaskScript[]): void;
  /** End a task now (`never` pins it to `generating`). Throws for an unknown task; no-op once ended. */
  finish(taskId: string, outcome: TaskOutcome): void;
  /**
   * The result URLs of every task ended so far answer 404 (Kie's resultUrls die after about a
   * day); the file stays, and download-url still hands out 20-minute links to it.
   */
  expireResultLinks(): void;
  fault(rule: FaultRule): { remove(): void };
  clearFaults(): void;
  /** Answer createTask for this model with this code/msg. Default `{ code: 505, msg: 'The model <id> is currently unavailable' }`. */
  withdrawModel(model: string, answer?: { code: number; msg: string; httpStatus?: number }): void;
  restoreModel(model: string): void;
  setWebhookHmacKey(apiKey: string, hmacKey: string | undefined): void;
  setUploadAnswerField(field: 'downloadUrl' | 'fileUrl' | 'both'): void;
  /** The catalog `apiKey` gets (every key without its own when `apiKey` is left out). */
  setCatalog(setting: CatalogSetting, apiKey?: string): void;
  /** Lifetime of files uploaded from now on. */
  setUploadTtl(ms: number): void;
  /** Every file uploaded so far answers 404 from now on (Kie deleted it). */
  expireUploads(): void;
  callbacks: CallbackRecord[];
  /** The fixture video bytes (a real small H.264 mp4). */
  video: Buffer;
  /** The fixture padded to `totalBytes` with a trailing `free` box (still a valid mp4). */
  paddedVideo(totalBytes: number): Buffer;
  close(): Promise<void>;
}
