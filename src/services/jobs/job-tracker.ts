import type { Logger } from 'pino';
import { settledWithin } from '../settled-within.js';
import type { JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

/** One step of tracking decides when the job wants its next step, if ever; the tracker only keeps time. */
export type TrackOutcome = { next: 'poll'; inMs: number } | { next: 'done' };
export type JobStep = (job: JobRecord) => Promise<TrackOutcome>;

export interface JobTrackerOptions {
  jobs: JobStore;
  step: JobStep;
  logger: Logger;
  /** Spread resumed jobs over this window so a restart does not burst Kie (default 5 s per 100 jobs, capped at 60 s). */
  resumeSpreadMs?: (count: number) => number;
  /** Told how late each step started against when it was due (event-loop or store congestion). */
  onLag?: (ms: number) => void;
}

const jobKey = (job: Pick<JobRecord, 'guildId' | 'id'>) => `${job.guildId}:${job.id}`;

/**
 * The one scheduler for all jobs: one timer per job, never two steps of the same job at once.
 * Each step re-reads the job from the store, so what runs is always the persisted state.
 */
export class JobTracker {
  readonly #options: JobTrackerOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<void>>();
  /** Jobs woken while a step of theirs was under way: they step again right after it. */
  readonly #rerun = new Set<string>();
  /** Jobs untracked while stepping: their step's outcome must not schedule them again. */
  readonly #cancelled = new Set<string>();
  #stopped = false;

  constructor(options: JobTrackerOptions) {
    this.#options = options;
  }

  /** Jobs currently scheduled or stepping in this process. */
  get size(): number {
    return new Set([...this.#timers.keys(), ...this.#running.keys()]).size;
  }

  track(job: Pick<JobRecord, 'guildId' | 'id'>, inMs = 0): void {
    if (this.#stopped) return;
    const key = jobKey(job);
    this.#cancelled.delete(key);
    clearTimeout(this.#timers.get(key));
    const due = Date.now() + inMs;
    const timer = setTimeout(() => {
      this.#options.onLag?.(Math.max(0, Date.now() - due));
      this.#timers.delete(key);
      void this.#run(job.guildId, job.id);
    }, inMs);
    this.#timers.set(key, timer);
  }

  /** Stops tracking a job in this process (its record is left as it is). */
  untrack(job: Pick<JobRecord, 'guildId' | 'id'>): void {
    const key = jobKey(job);
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    this.#rerun.delete(key);
    if (this.#running.has(key)) this.#cancelled.add(key);
  }

  /** Picks up every unfinished job of these guilds, spread out in time. Returns how many. */
  async resume(guildIds: Iterable<string>): Promise<number> {
    const byGuild: JobRecord[][] = [];
    for (const guildId of guildIds) byGuild.push(await this.#options.jobs.listActive(guildId));
    // One server's jobs share a Kie key: taken in turns, each key's polls spread over the window.
    const jobs = interleave(byGuild);
    const spread = (this.#options.resumeSpreadMs ?? defaultSpread)(jobs.length);
    jobs.forEach((job, index) => {
      this.track(job, jobs.length > 1 ? Math.round((spread * index) / (jobs.length - 1)) : 0);
    });
    if (jobs.length > 0)
      this.#options.logger.info({ jobs: jobs.length, spreadMs: spread }, 'resumed unfinished jobs');
    return jobs.length;
  }

  /**
   * Stops taking work and waits for steps under way, at most `timeoutMs`; resolves with how many
   * were still running. Every job stays resumable from the store: a step cut short is done again
   * at the next start (a delivery edits the same reply or posts under the same nonce).
   */
  async stop(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await settledWithin(Promise.allSettled(this.#running.values()), timeoutMs);
    return this.#running.size;
  }

  async #run(guildId: string, jobId: string): Promise<void> {
    const key = `${guildId}:${jobId}`;
    if (this.#stopped) return;
    if (this.#running.has(key)) {
      this.#rerun.add(key);
      return;
    }
    const run = this.#stepOnce(guildId, jobId).then((nextInMs) => {
      this.#running.delete(key);
      const woken = this.#rerun.delete(key);
      if (this.#cancelled.has(key)) return;
      if (woken) this.track({ guildId, id: jobId });
      else if (nextInMs !== undefined) this.track({ guildId, id: jobId }, nextInMs);
    });
    this.#running.set(key, run);
    await run;
  }

  /** Runs one step; resolves with when the job wants its next step, if ever. Never rejects. */
  async #stepOnce(guildId: string, jobId: string): Promise<number | undefined> {
    const { jobs, step, logger } = this.#options;
    try {
      const job = await jobs.get(guildId, jobId);
      if (!job) return undefined;
      const outcome = await step(job);
      return outcome.next === 'poll' ? outcome.inMs : undefined;
    } catch (error) {
      // A step that throws (store outage, a bug) must not lose the job: try again later.
      logger.error({ err: error, guildId, jobId }, 'job step failed; will retry');
      return 15_000;
    }
  }
}

/** [[a1, a2], [b1]] → [a1, b1, a2] */
function interleave<T>(lists: T[][]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) =>
    lists.flatMap((list) => (index < list.length ? [list[index] as T] : [])),
  ).flat();
}

function defaultSpread(count: number): number {
  return Math.min(60_000, Math.ceil(count / 100) * 5_000);
}
