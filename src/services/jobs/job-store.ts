import type { Keyv } from 'keyv';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { parseOrRetire } from '../store/retire.js';
import { isTerminal, type JobRecord, jobRecordSchema } from './job-record.js';

const idListSchema = z.array(z.string());

/** Finished jobs are kept this long (for /animate-jobs and support), then expire. */
const FINISHED_TTL_MS = 14 * 24 * 60 * 60 * 1000;

const jobKey = (guildId: string, jobId: string) => `job:${guildId}:${jobId}`;
const activeKey = (guildId: string) => `active:${guildId}`;

/**
 * Jobs stored per guild. Each guild keeps a small index of its unfinished jobs so start-up
 * resumes them without scanning the store; the index is only ever changed under a per-guild lock.
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
      await this.#updateIndex(record.guildId, (ids) =>
        terminal ? ids.filter((id) => id !== record.id) : ids.includes(record.id) ? ids : [...ids, record.id],
      );
      return record;
    });
  }

  /** The guild's unfinished jobs; ids whose record is gone or unreadable are dropped from the index. */
  async listActive(guildId: string): Promise<JobRecord[]> {
    const ids = await this.#readIndex(guildId);
    if (ids.length === 0) return [];
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
      if (job && !isTerminal(job)) jobs.push(job);
      else stale.push(id);
    }
    if (stale.length > 0)
      await this.#updateIndex(guildId, (current) => current.filter((id) => !stale.includes(id)));
    return jobs;
  }

  async #readIndex(guildId: string): Promise<string[]> {
    const key = activeKey(guildId);
    return (
      (await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), idListSchema, this.#logger)) ?? []
    );
  }

  #updateIndex(guildId: string, change: (ids: string[]) => string[]): Promise<void> {
    return this.#indexLock.run(guildId, async () => {
      const before = await this.#readIndex(guildId);
      const after = change(before);
      if (after.length === before.length && after.every((id, i) => id === before[i])) return;
      if (after.length === 0) await this.#keyv.delete(activeKey(guildId));
      else await this.#keyv.set(activeKey(guildId), after);
    });
  }
}
