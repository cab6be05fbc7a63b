import { setTimeout as sleep } from 'node:timers/promises';
import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Charge } from '../budget/budget-ledger.js';
import type { JobRecord } from '../jobs/job-record.js';
import { type AtomicKeyv, atomicKeyv } from '../store/atomic-keyv.js';

const DAY_MS = 24 * 60 * 60_000;
/** How long a server's usage is kept: a year and a bit, so last year's month can be compared. */
export const USAGE_KEPT_DAYS = 400;
const MAX_SWAP_ATTEMPTS = 40;

export const usageEntrySchema = z.object({
  jobId: z.string(),
  userId: z.string(),
  model: z.string(),
  credits: z.number().nonnegative(),
  /** The credits are the bot's estimate: Kie did not say what it charged. */
  estimated: z.boolean(),
  outcome: z.enum(['delivered', 'failed', 'expired', 'cancelled']),
  durationSeconds: z.number().int().positive(),
  /** From the member's request to the video in Discord; null when no video came. */
  timeToVideoMs: z.number().int().nonnegative().nullable(),
  finishedAt: z.number().int().nonnegative(),
});
export type UsageEntry = z.infer<typeof usageEntrySchema>;

const dayLogSchema = z.object({ entries: z.array(usageEntrySchema) });

const dayOf = (atMs: number) => new Date(atMs).toISOString().slice(0, 10);
const dayKey = (guildId: string, day: string) => `usage-log:${guildId}:${day}`;

/** The usage entry of a job that ended, with what it cost. */
export function usageEntryOf(job: JobRecord, charge: Charge, now: number): UsageEntry | undefined {
  const outcome = job.status;
  if (outcome !== 'delivered' && outcome !== 'failed' && outcome !== 'expired' && outcome !== 'cancelled')
    return undefined;
  const finishedAt = outcome === 'delivered' ? job.deliveredAt : job.endedAt;
  return {
    jobId: job.id,
    userId: job.userId,
    model: job.model,
    credits: charge.credits,
    estimated: charge.estimated,
    outcome,
    durationSeconds: job.options.durationSeconds,
    timeToVideoMs: outcome === 'delivered' ? Math.max(0, job.deliveredAt - job.createdAt) : null,
    finishedAt: Number.isFinite(finishedAt) ? finishedAt : now,
  };
}

/**
 * Each server's finished jobs, one entry per job, in one store record per server and UTC day,
 * kept {@link USAGE_KEPT_DAYS} days. Entries are appended by compare-and-set, so shards writing
 * the same day lose nothing; a job recorded twice is kept once.
 */
export class UsageLog {
  readonly #keyv: Keyv;
  readonly #atomic: AtomicKeyv;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(keyv: Keyv, logger: Logger, now: () => number = Date.now) {
    this.#keyv = keyv;
    this.#atomic = atomicKeyv(keyv);
    this.#logger = logger;
    this.#now = now;
  }

  async record(guildId: string, entry: UsageEntry): Promise<void> {
    const day = dayOf(entry.finishedAt);
    const key = dayKey(guildId, day);
    const expiresAt = Date.parse(`${day}T00:00:00Z`) + USAGE_KEPT_DAYS * DAY_MS;
    for (let attempt = 0; attempt < MAX_SWAP_ATTEMPTS; attempt += 1) {
      const stored = await this.#atomic.read(key);
      const entries = this.#parse(key, stored?.value);
      if (entries.some((kept) => kept.jobId === entry.jobId)) return;
      const ttl = expiresAt - this.#now();
      if (ttl <= 0) return;
      if (await this.#atomic.swap(key, stored?.raw, { entries: [...entries, entry] }, ttl)) return;
      await sleep(Math.random() * Math.min(50, 2 * (attempt + 1)));
    }
    throw new Error(`usage log ${key} kept changing under ${MAX_SWAP_ATTEMPTS} attempts`);
  }

  /** The entries of jobs that finished in [fromMs, toMs), oldest day first. */
  async read(guildId: string, fromMs: number, toMs: number): Promise<UsageEntry[]> {
    const days: string[] = [];
    for (let at = Date.parse(`${dayOf(fromMs)}T00:00:00Z`); at < toMs; at += DAY_MS) days.push(dayOf(at));
    if (days.length === 0) return [];
    const keys = days.map((day) => dayKey(guildId, day));
    const raws = await this.#keyv.getMany(keys);
    return keys
      .flatMap((key, index) => this.#parse(key, raws[index]))
      .filter((entry) => entry.finishedAt >= fromMs && entry.finishedAt < toMs);
  }

  #parse(key: string, value: unknown): UsageEntry[] {
    if (value === undefined || value === null) return [];
    const parsed = dayLogSchema.safeParse(value);
    if (parsed.success) return parsed.data.entries;
    // A day written by another version: its readable entries count, the rest is reported.
    const loose = z.object({ entries: z.array(z.unknown()) }).safeParse(value);
    const entries = (loose.success ? loose.data.entries : []).flatMap((entry) => {
      const one = usageEntrySchema.safeParse(entry);
      return one.success ? [one.data] : [];
    });
    this.#logger.warn({ key, kept: entries.length }, 'usage log day partly unreadable');
    return entries;
  }
}
