import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CallbackJob, CallbackJobs } from '../http/index.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { parseOrRetire } from '../store/retire.js';
import { isTerminal } from './job-record.js';
import type { JobStore } from './job-store.js';

const entrySchema = z.object({ guildId: z.string(), jobId: z.string() });
const tokenKey = (token: string) => `callback:${token}`;

/** Maps each job's callback token to the job, so a Kie callback can only wake the job it names. */
export class CallbackRegistry implements CallbackJobs {
  readonly #keyv: Keyv;
  readonly #jobs: JobStore;
  readonly #settings: SettingsStore;
  readonly #logger: Logger;

  constructor(keyv: Keyv, jobs: JobStore, settings: SettingsStore, logger: Logger) {
    this.#keyv = keyv;
    this.#jobs = jobs;
    this.#settings = settings;
    this.#logger = logger;
  }

  /** Written before createTask, so a callback that beats our own write still finds the job. */
  async register(token: string, job: { guildId: string; jobId: string }, ttlMs: number): Promise<void> {
    await this.#keyv.set(tokenKey(token), job, ttlMs);
  }

  async resolve(token: string): Promise<CallbackJob | undefined> {
    const key = tokenKey(token);
    const entry = await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), entrySchema, this.#logger);
    if (!entry) return undefined;
    const job = await this.#jobs.get(entry.guildId, entry.jobId);
    if (!job || isTerminal(job)) return undefined;
    // Fails closed: a key that is set but cannot be opened (the encryption key changed, the store
    // failed) throws, and the callback is answered 503 instead of being taken unsigned.
    const hmacKey = await this.#settings.openWebhookHmacKey(entry.guildId);
    return {
      guildId: entry.guildId,
      jobId: entry.jobId,
      taskId: 'taskId' in job ? job.taskId : null,
      ...(hmacKey ? { hmacKey } : {}),
    };
  }
}
