import type { Keyv } from 'keyv';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { parseOrRetire } from '../store/retire.js';
import { isTerminal, type JobRecord, jobRecordSchema } from './job-record.js';

const idListSchema = z.array(z.string());

/** Finished jobs are kept this long (for /animate-jobs and support), then expire. */
const FINISHED_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** How many of a member's jobs `recent:{guild}:{user}` remembers, newest first. */
export const RECENT_JOBS_CAP = 25;

const jobKey = (guildId: string, jobId: string) => `job:${guildId}:${jobId}`;
const activeKey = (guildId: string) => `active:${guildId}`;
const recentKey = (guildId: string, userId: string) => `recent:${guildId}:${userId}`;

/**
 * Jobs stored per guild. Each guild keeps a small index of its unfinished jobs so start-up
 * resumes them without scanning the store, and each member an index of their recent jobs for
 * /animate-jobs; indexes are only ever changed under a per-guild lock.
 */
export class JobStore {
  readonly #keyv: Keyv;
  readonly #logger: Logger;
  readonly #indexLock = new KeyedMutex();
  readonly #jobLock = new KeyedMutex();

  constructor(keyv: Keyv, logger: Logger) {
    this.#keyv = keyv;
    this.#logger = logger;
  }

  async get(guildId: string, jobId: string): Promise<JobRecord | undefined> {
    const key = jobKey(guildId, jobId);
    return parseOrRetire(this.#keyv, key, await this.#keyv.get(key), jobRecordSchema, this.#logger);
  }

  /**
   * Validates and writes a job, keeping the guild's index of unfinished jobs in step. A job that
   * has ended stays as it ended: a late write (a step racing a Cancel) gets the stored record back.
   */
  async put(job: JobRecord): Promise<JobRecord> {
    const record = jobRecordSchema.parse(job);
    return this.#jobLock.run(jobKey(record.guildId, record.id), async () => {
      const stored = await this.get(record.guildId, record.id);
      if (stored && isTerminal(stored) && stored.status !== record.status) return stored;
      const terminal = isTerminal(record);
      await this.#keyv.set(jobKey(record.guildId, record.id), record, terminal ? FINISHED_TTL_MS : undefined);
      // The index changes only with the status (each change also mends it after a failed write).
      if (stored?.status === record.status) return record;
      await this.#updateIndex(record.guildId, activeKey(record.guildId), (ids) =>
        terminal ? ids.filter((id) => id !== record.id) : ids.includes(record.id) ? ids : [...ids, record.id],
      );
      if (!stored) {
        await this.#updateIndex(
          record.guildId,
          recentKey(record.guildId, record.userId),
          (ids) => (ids.includes(record.id) ? ids : [record.id, ...ids].slice(0, RECENT_JOBS_CAP)),
          FINISHED_TTL_MS,
        );
      }
      return record;
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
