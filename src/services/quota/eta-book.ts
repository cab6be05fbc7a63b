import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { parseOrRetire } from '../store/retire.js';

/** Finished jobs kept per server, model and duration: the estimate follows the server's recent days. */
export const ETA_SAMPLES_KEPT = 20;
/** Below this many finished jobs the bot says "no estimate yet" rather than guess from one or two. */
export const ETA_MIN_SAMPLES = 5;

/** The expected end of a job, from this server's own history. */
export type Eta =
  | {
      known: true;
      /** Median time Kie took, over `samples` recent jobs of the same model and duration here. */
      medianMs: number;
      samples: number;
      /** When the job should be ready: its start at Kie plus the median. */
      expectedAt: number;
    }
  | { known: false; samples: number };

/** The parts of a job record the book reads (every JobRecord has them). */
export interface EtaJob {
  guildId: string;
  model: string;
  options: { durationSeconds: number };
  createdAt: number;
  /** When Kie took the task; absent while the job is pending. */
  submittedAt?: number;
}

/** A job whose video is being delivered: when it ended, at Kie and as the bot saw it. */
export interface DeliveredEtaJob extends EtaJob {
  submittedAt: number;
  completedAt: number | null;
  deliveryStartedAt: number | null;
  deadlineAt: number;
}

const ringSchema = z.object({ ms: z.array(z.number().int().nonnegative()).max(ETA_SAMPLES_KEPT) });

const ringKey = (guildId: string, model: string, durationSeconds: number) =>
  `eta:${guildId}:${model}:${durationSeconds}`;

/**
 * How long Kie takes to make a video on this server, per model and duration: a small ring of
 * recent times in the store, written once per delivered job, read for each estimate.
 */
export class EtaBook {
  readonly #keyv: Keyv;
  readonly #logger: Logger;
  // One server's jobs are delivered by one process (its shard), so a per-process lock suffices.
  readonly #lock = new KeyedMutex();

  constructor(keyv: Keyv, logger: Logger) {
    this.#keyv = keyv;
    this.#logger = logger;
  }

  /** Notes how long Kie took for a job whose video was delivered. */
  async record(job: DeliveredEtaJob): Promise<void> {
    const took = kieTimeOf(job);
    if (took === undefined) return;
    const key = ringKey(job.guildId, job.model, job.options.durationSeconds);
    await this.#lock.run(key, async () => {
      const ms = [...(await this.#read(key)), took].slice(-ETA_SAMPLES_KEPT);
      await this.#keyv.set(key, { ms });
    });
  }

  /** The estimate for a job not yet finished (pending jobs count from their creation). */
  async estimate(job: EtaJob): Promise<Eta> {
    const ms = await this.#read(ringKey(job.guildId, job.model, job.options.durationSeconds));
    if (ms.length < ETA_MIN_SAMPLES) return { known: false, samples: ms.length };
    const medianMs = median(ms);
    const start = job.submittedAt ?? job.createdAt;
    return { known: true, medianMs, samples: ms.length, expectedAt: start + medianMs };
  }

  async #read(key: string): Promise<number[]> {
    const ring = await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), ringSchema, this.#logger);
    return ring?.ms ?? [];
  }
}

/**
 * Kie's time for the job: from createTask to Kie's own completeTime, which does not count how
 * late the bot noticed. A completeTime outside that window (another clock) gives way to when the
 * bot saw the end, unless that is past the job's deadline: a video delivered again by hand hours
 * later says nothing about Kie's speed.
 */
function kieTimeOf(job: DeliveredEtaJob): number | undefined {
  const { deliveryStartedAt: seen, completedAt: completed, submittedAt } = job;
  if (completed !== null && completed >= submittedAt && (seen === null || completed <= seen))
    return Math.round(completed - submittedAt);
  if (seen === null || seen < submittedAt || seen > job.deadlineAt) return undefined;
  return Math.round(seen - submittedAt);
}

/** The middle value (the mean of the two middle ones for an even count); `values` must not be empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}
