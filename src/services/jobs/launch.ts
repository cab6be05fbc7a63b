import type { Logger } from 'pino';
import type { BudgetLedger } from '../budget/budget-ledger.js';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { KieClient } from '../kie/index.js';
import type { Guardrails } from '../limits/guardrails.js';
import type { ModelAvailability } from '../models/availability.js';
import type { ModelEntry } from '../models/model.js';
import type { ModelRegistry } from '../models/registry.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import type { UserFacingError } from '../user-facing-error.js';
import type { CallbackRegistry } from './callback-registry.js';
import type { DraftStore } from './draft-store.js';
import type { ExtendRequest, JobOf, Take } from './job-record.js';
import type { JobImage, ReplyContext, ReplyLink, SubmitOutcome } from './job-requests.js';
import type { JobStore } from './job-store.js';
import type { Candidate } from './model-choice.js';

/** The settings submitting a job reads (the bot's Config has them). */
export interface SubmitSettings {
  KIE_TIMEOUT_MS: number;
  /** Models tried in this order when the member names none and the server set none. */
  DEFAULT_MODELS: readonly string[];
  /** A job not delivered this many minutes after it started is given up. */
  JOB_DEADLINE_MINUTES: number;
}

export interface StartTaskDeps {
  config: SubmitSettings;
  jobs: JobStore;
  settings: SettingsStore;
  kie: KieClient;
  models: ModelRegistry;
  box: SealedBox;
  guardrails: Guardrails;
  availability: ModelAvailability;
  drafts: DraftStore;
  /** The server's monthly budget: each job holds its estimate from before its upload. Absent: not counted. */
  ledger?: BudgetLedger;
  /** Set when PUBLIC_URL is: each job gets a callback URL of its own. */
  callbacks?: { publicUrl: string; registry: CallbackRegistry };
  /**
   * Told of a job Kie accepted whose record could not be written (the store failed even after
   * retries). The task id must not be dropped: whoever tracks jobs keeps it and writes it later.
   */
  onUnsaved?: (job: JobOf<'submitted'>) => void;
  logger: Logger;
  now?: () => number;
}

/** Everything a job needs once its request passed the checks that cost nothing. */
export interface Launch {
  context: ReplyContext;
  settings: GuildSettings;
  apiKey: string;
  /** Models to try, in order, with their options; the first that Kie accepts makes the video. */
  candidates: Candidate[];
  /** When Kie says a model cannot run, go on with the next candidate (nobody chose the model). */
  mayFallBack: boolean;
  /** What the double-click guard fingerprints: the image's bytes, or its Kie URL for a repeat. */
  imageBytes: Uint8Array;
  parentJobId: string | null;
  /** The member already agreed to spend up to this: no question for a model that costs no more. */
  confirmedUpTo: number | null;
  /** The model someone chose cannot run now (and why): the member is asked before the first candidate is used. */
  offerFor?: { model: ModelEntry; reason: string };
  /** Puts the image on Kie (or finds it there): runs once the member's place is held. */
  image(): Promise<JobImage>;
  /** The same for the last frame the member gave, when the job ends on one. */
  endImage?: (() => Promise<JobImage>) | undefined;
  /** Continue a finished video (its extend call) instead of starting from the image. */
  extend?: ExtendRequest | null;
  /** How many takes to start, each holding a place; asked about as one (the estimate times this). Default 1. */
  takes?: number;
  /** The reply the new job's reply links to. */
  parentReply?: ReplyLink | null;
  /** Set for each take of several: which one (the caller leaves it out). */
  take?: Take;
  /** The id of a single job, chosen before its budget hold (the caller leaves it out). */
  jobId?: string;
}

/** What a launch came to, and whether anything may have been spent (for the member's limits). */
export type LaunchResult =
  | SubmitOutcome
  /** Kie says the chosen model cannot run: the caller may offer another (the image is uploaded). */
  | {
      kind: 'model-unavailable';
      error: UserFacingError;
      reason: string;
      image: JobImage;
      endImage: JobImage | null;
    };

/** A job's first image and the last frame the member gave, if any, both on Kie. */
export type JobImages = { image: JobImage; endImage: JobImage | null };

/** How long createTask keeps a job `pending` at most: attempts with their timeouts and backoff. */
export function createTaskWindowMs(config: Pick<SubmitSettings, 'KIE_TIMEOUT_MS'>): number {
  return 5 * config.KIE_TIMEOUT_MS + 30_000;
}
