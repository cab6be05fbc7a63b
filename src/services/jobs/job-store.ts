import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type AtomicKeyv, atomicKeyv } from '../store/atomic-keyv.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { parseOrRetire } from '../store/retire.js';
import { isTerminal, type JobOf, type JobRecord, type JobStatus, jobRecordSchema } from './job-record.js';
import { INTERACTION_TOKEN_TTL_MS } from './job-requests.js';

const idListSchema = z.array(z.string());
const jobIdSchema = z.string();

/** Finished jobs are kept this long (for /animate-jobs and support), then expire. */
const FINISHED_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** How often a transition re-reads and tries again when another writer got in first. */
const MAX_SWAP_ATTEMPTS = 8;

/** How many of a member's jobs `recent:{guild}:{user}` remembers, newest first. */
export const RECENT_JOBS_CAP = 25;

const jobKey = (guildId: string, jobId: string) => `job:${guildId}:${jobId}`;
const activeKey = (guildId: string) => `active:${guildId}`;
const recentKey = (guildId: string, userId: string) => `recent:${guildId}:${userId}`;
const interactionKey = (guildId: string, interactionId: string) => `job-of:${guildId}:${interactionId}`;

export type JobRef = Pick<JobRecord, 'guildId' | 'id'>;

/** Told once of each job that reached an end (delivered, failed, expired, cancelled); must not throw. */
export type JobEndedListener = (job: JobRecord) => void | Promise<void>;

/** What a transition answers: the record it wrote, or the one that stopped it (if any). */
export type TransitionResult<T extends JobStatus> =
  | { ok: true; job: JobOf<T> }
  | { ok: false; current: JobRecord | undefined };

/**
 * Jobs stored per guild, written only through {@link JobStore.create} and
 * {@link JobStore.transition}: each write is a compare-and-set against the record it was
 * computed from, so a Cancel and a poll that finish together cannot overwrite each other, in
 * one process or across shards. Each guild keeps a small index of its unfinished jobs (start-up
 * resumes them without scanning the store) and each member an index of their recent jobs
 * (/animate-jobs); indexes change only with a job's status, under a per-guild lock.
 */
export class JobStore {
  readonly #keyv: Keyv;
  readonly #records: AtomicKeyv;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #indexLock = new KeyedMutex();
  readonly #jobLock = new KeyedMutex();
  readonly #endedListeners: JobEndedListener[] = [];

  constructor(keyv: Keyv, logger: Logger, now: () => number = Date.now) {
    this.#keyv = keyv;
    this.#records = atomicKeyv(keyv);
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * Calls `listener` after each transition that moves a job from an unfinished status to an
   * ending one, before `transition` answers: every write goes through here and is a
   * compare-and-set, so each ending is told exactly once, in the process that wrote it (a guild's
   * shard). A job made to deliver again (Redeliver) ends, and is told, once more. Listeners are
   * awaited in turn (the budget's charge and the usage log); their errors are only logged.
   */
  onEnded(listener: JobEndedListener): void {
    this.#endedListeners.push(listener);
  }

  async get(guildId: string, jobId: string): Promise<JobRecord | undefined> {
    const key = jobKey(guildId, jobId);
    return parseOrRetire(this.#keyv, key, await this.#keyv.get(key), jobRecordSchema, this.#logger);
  }

  /** The job a command started, if it got as far as being recorded (the command's note sweep asks). */
  async findByInteraction(guildId: string, interactionId: string): Promise<string | undefined> {
    const key = interactionKey(guildId, interactionId);
    return parseOrRetire(this.#keyv, key, await this.#keyv.get(key), jobIdSchema, this.#logger);
  }

  /** Records a new job, before anything is spent on it. */
  async create(job: JobOf<'pending'>): Promise<JobOf<'pending'>> {
    const record = jobRecordSchema.parse(job) as JobOf<'pending'>;
    // Pointers first, the record last: a crash in between leaves pointers to nothing (dropped when
    // next read), never a job that start-up cannot find or whose command is told "nothing spent".
    await this.#keyv.set(
      interactionKey(record.guildId, record.interactionId),
      record.id,
      INTERACTION_TOKEN_TTL_MS + 60 * 60_000,
    );
    await this.#reindex(undefined, record);
    if (!(await this.#records.swap(jobKey(record.guildId, record.id), undefined, record)))
      throw new Error(`job ${record.id} exists already`);
    return record;
  }

  /**
   * Changes a job whose stored status is one of `from`: `change` gets the stored record and
   * returns the next one (`updatedAt` is set here). The write lands only if the record is still
   * the one `change` saw; otherwise it is read again and, if still in `from`, changed again.
   * A job in another status (ended, cancelled, moved on) is left as it is: `{ ok: false, current }`.
   */
  async transition<F extends JobStatus, T extends JobStatus>(
    ref: JobRef,
    from: F | readonly F[],
    change: (current: JobOf<F>) => JobOf<T>,
  ): Promise<TransitionResult<T>> {
    const allowed: readonly JobStatus[] = typeof from === 'string' ? [from] : from;
    const key = jobKey(ref.guildId, ref.id);
    return this.#jobLock.run(key, async () => {
      for (let attempt = 0; attempt < MAX_SWAP_ATTEMPTS; attempt += 1) {
        const stored = await this.#records.read(key);
        const current = stored
          ? await parseOrRetire(this.#keyv, key, stored.value, jobRecordSchema, this.#logger)
          : undefined;
        if (!stored || !current || !allowed.includes(current.status)) return { ok: false, current };
        const next = jobRecordSchema.parse({
          ...change(current as JobOf<F>),
          updatedAt: this.#now(),
        }) as JobOf<T>;
        if (next.id !== current.id || next.guildId !== current.guildId)
          throw new Error('a transition cannot move a job to another id or guild');
        const ttl = isTerminal(next) ? FINISHED_TTL_MS : undefined;
        if (await this.#records.swap(key, stored.raw, next, ttl)) {
          if (next.status !== current.status) await this.#reindexAfter(current, next);
          if (isTerminal(next) && !isTerminal(current)) await this.#tellEnded(next);
          return { ok: true, job: next };
        }
      }
      throw new Error(`job ${ref.id} kept changing under ${MAX_SWAP_ATTEMPTS} transitions`);
    });
  }

  /** The guild's unfinished jobs; ids whose record is gone or unreadable are dropped from the index. */
  async listActive(guildId: string): Promise<JobRecord[]> {
    const key = activeKey(guildId);
    const { jobs, stale } = await this.#readJobs(guildId, await this.#readIndex(key));
    const running = jobs.filter((job) => !isTerminal(job));
    const ended = jobs.filter(isTerminal).map((job) => job.id);
    if (stale.length + ended.length > 0) {
      const drop = new Set([...stale, ...ended]);
      await this.#updateIndex(guildId, key, (current) => current.filter((id) => !drop.has(id)));
    }
    return running;
  }

  /**
   * A member's jobs in this guild, newest first, at most `limit` (the index keeps
   * {@link RECENT_JOBS_CAP}); ids whose record expired or is unreadable are skipped and forgotten.
   */
  async listRecent(guildId: string, userId: string, limit: number): Promise<JobRecord[]> {
    const key = recentKey(guildId, userId);
    const { jobs, stale } = await this.#readJobs(guildId, await this.#readIndex(key));
    if (stale.length > 0) {
      const drop = new Set(stale);
      await this.#updateIndex(
        guildId,
        key,
        (current) => current.filter((id) => !drop.has(id)),
        FINISHED_TTL_MS,
      );
    }
    return jobs.slice(0, Math.max(0, limit));
  }

  async #tellEnded(job: JobRecord): Promise<void> {
    for (const listener of this.#endedListeners) {
      try {
        await listener(job);
      } catch (error) {
        this.#logger.error({ err: error, guildId: job.guildId, jobId: job.id }, 'job ended listener failed');
      }
    }
  }

  /**
   * The record is written, and it is the truth: an index that could not follow is only logged.
   * A job is in the active index from its creation on, so what can be missed here is a removal,
   * which `listActive` makes up for.
   */
  async #reindexAfter(before: JobRecord, after: JobRecord): Promise<void> {
    try {
      await this.#reindex(before, after);
    } catch (error) {
      this.#logger.warn({ err: error, guildId: after.guildId, jobId: after.id }, 'job index not updated');
    }
  }

  /** Keeps the indexes in step with a status change (`before` undefined: a new job). */
  async #reindex(before: JobRecord | undefined, after: JobRecord): Promise<void> {
    const terminal = isTerminal(after);
    await this.#updateIndex(after.guildId, activeKey(after.guildId), (ids) =>
      terminal ? ids.filter((id) => id !== after.id) : ids.includes(after.id) ? ids : [...ids, after.id],
    );
    if (!before) {
      await this.#updateIndex(
        after.guildId,
        recentKey(after.guildId, after.userId),
        (ids) => (ids.includes(after.id) ? ids : [after.id, ...ids].slice(0, RECENT_JOBS_CAP)),
        FINISHED_TTL_MS,
      );
    }
  }

  /** The records behind an index, in its order, and the ids with no readable record. */
  async #readJobs(guildId: string, ids: string[]): Promise<{ jobs: JobRecord[]; stale: string[] }> {
    if (ids.length === 0) return { jobs: [], stale: [] };
    const raws = await this.#keyv.getMany(ids.map((id) => jobKey(guildId, id)));
    const jobs: JobRecord[] = [];
    const stale: string[] = [];
    for (const [index, id] of ids.entries()) {
      const job = await parseOrRetire(
        this.#keyv,
        jobKey(guildId, id),
        raws[index],
        jobRecordSchema,
        this.#logger,
      );
      if (job) jobs.push(job);
      else stale.push(id);
    }
    return { jobs, stale };
  }

  async #readIndex(key: string): Promise<string[]> {
    return (
      (await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), idListSchema, this.#logger)) ?? []
    );
  }

  /** Changes one of the guild's indexes under the guild's lock; `ttlMs` is renewed on each write. */
  #updateIndex(
    guildId: string,
    key: string,
    change: (ids: string[]) => string[],
    ttlMs?: number,
  ): Promise<void> {
    return this.#indexLock.run(guildId, async () => {
      const before = await this.#readIndex(key);
      const after = change(before);
      if (after.length === before.length && after.every((id, i) => id === before[i])) return;
      if (after.length === 0) await this.#keyv.delete(key);
      else await this.#keyv.set(key, after, ttlMs);
    });
  }
}
