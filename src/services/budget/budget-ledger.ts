import { setTimeout as sleep } from 'node:timers/promises';
import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { roundCredits } from '../models/options.js';
import { type AtomicKeyv, atomicKeyv, type StoredValue } from '../store/atomic-keyv.js';
import { UserFacingError } from '../user-facing-error.js';
import { absoluteTime, type BudgetPeriod, budgetPeriodAt, previousBudgetPeriod } from './budget-period.js';
import type { BudgetWarning, BudgetWarningListener } from './budget-warning.js';

/** A server's monthly budget, as its settings hold it. */
export interface BudgetSettings {
  /** Credits the server may spend per period; null: no budget (spending is still counted). */
  credits: number | null;
  /** The day of the month (1–28, UTC) a period starts. */
  resetDay: number;
}

/** What a finished job cost: Kie's own figure, or the bot's estimate when Kie did not say. */
export interface Charge {
  credits: number;
  estimated: boolean;
}

/** Credits held for one job from before its upload until it ends. */
export interface BudgetHoldRequest {
  jobId: string;
  credits: number;
}

/** The places a launch holds in the budget: given back when nothing was spent, resized on a fallback. */
export interface BudgetHold {
  readonly period: BudgetPeriod;
  /** Gives back the credits held for a job Kie never took (a no-op once the job was settled). */
  release(jobId: string): Promise<void>;
  /** The job moves to another model: holds its estimate instead, refused if it no longer fits. */
  resize(jobId: string, credits: number): Promise<void>;
}

/** Where a server stands against its budget in the current period. */
export interface BudgetStanding {
  period: BudgetPeriod;
  budget: number | null;
  /** Charged this period, `estimated` of it from the bot's estimates. */
  spent: number;
  estimated: number;
  /** Held by jobs under way. */
  reserved: number;
  /** When admins were warned at 80 % this period; null: not yet. */
  warnedAt: number | null;
}

/** The share of the budget at which admins are warned, once per period. */
export const WARN_AT_SHARE = 0.8;
/** Ledgers are kept about as long as the usage log, for the status of past periods. */
const LEDGER_TTL_MS = 400 * 24 * 60 * 60_000;
/** Jobs settled lately, per period: a settlement tried again is not charged twice. */
const SETTLED_KEPT = 200;
const MAX_SWAP_ATTEMPTS = 40;

const ledgerSchema = z.object({
  spent: z.number().nonnegative().default(0),
  estimated: z.number().nonnegative().default(0),
  /** Per job id: credits held and until when (a hold whose job was never recorded lapses). */
  reserved: z
    .record(z.string(), z.object({ credits: z.number().nonnegative(), until: z.number() }))
    .default({}),
  settled: z.array(z.string()).default([]),
  warnedAt: z.number().nullable().default(null),
});
type Ledger = z.infer<typeof ledgerSchema>;

const ledgerKey = (guildId: string, period: BudgetPeriod) => `budget-ledger:${guildId}:${period.key}`;

/**
 * Each server's spending per budget period, in one store record per period, changed only by
 * compare-and-set (SQLite transaction, Redis Lua): two members at once, on any shard, cannot
 * both slip under the budget. A job holds its estimate from before its upload; when it ends the
 * hold becomes what Kie charged (or nothing).
 */
export class BudgetLedger {
  readonly #atomic: AtomicKeyv;
  readonly #logger: Logger;
  readonly #now: () => number;
  /** How long a hold lasts at most: a job's whole life (createTask window, deadline, delivery). */
  readonly #holdMs: number;
  readonly #warningListeners = new Set<BudgetWarningListener>();

  constructor(keyv: Keyv, logger: Logger, options: { holdMs: number; now?: () => number }) {
    this.#atomic = atomicKeyv(keyv);
    this.#logger = logger;
    this.#holdMs = options.holdMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Called once per period when the server's charges reach {@link WARN_AT_SHARE} of its budget
   * (the audit log channel listens here). Answers a function that removes the listener.
   */
  onBudgetWarning(listener: BudgetWarningListener): () => void {
    this.#warningListeners.add(listener);
    return () => this.#warningListeners.delete(listener);
  }

  /**
   * Holds `holds` (one per take) all at once, or throws `budget.exceeded` when what is spent,
   * what running jobs hold and these would cross the budget.
   */
  async reserve(
    guildId: string,
    budget: BudgetSettings,
    holds: readonly BudgetHoldRequest[],
  ): Promise<BudgetHold> {
    const now = this.#now();
    const period = budgetPeriodAt(now, budget.resetDay);
    const key = ledgerKey(guildId, period);
    const need = roundCredits(holds.reduce((sum, hold) => sum + hold.credits, 0));
    await this.#change(key, (ledger) => {
      const reserved = liveHolds(ledger, now);
      refuseOver(budget, ledger, reserved, need, period);
      for (const hold of holds) reserved[hold.jobId] = { credits: hold.credits, until: now + this.#holdMs };
      return { ...ledger, reserved };
    });
    return {
      period,
      release: (jobId) =>
        this.#change(key, (ledger) => {
          if (!(jobId in ledger.reserved)) return undefined;
          const { [jobId]: _gone, ...reserved } = ledger.reserved;
          return { ...ledger, reserved };
        }),
      resize: (jobId, credits) =>
        this.#change(key, (ledger) => {
          const at = this.#now();
          const reserved = liveHolds(ledger, at);
          const { [jobId]: before, ...others } = reserved;
          if (credits > (before?.credits ?? 0)) refuseOver(budget, ledger, others, credits, period);
          return { ...ledger, reserved: { ...others, [jobId]: { credits, until: at + this.#holdMs } } };
        }),
    };
  }

  /**
   * A job ended: its hold becomes `charge`, in the period it was held in (that of its creation
   * when it held nothing). Settling the same job twice charges it once.
   */
  async settle(
    job: { guildId: string; id: string; createdAt: number },
    budget: BudgetSettings,
    charge: Charge,
  ): Promise<void> {
    const created = budgetPeriodAt(job.createdAt, budget.resetDay);
    // A hold taken just before midnight belongs to the period before its job's creation.
    const earlier = previousBudgetPeriod(created, budget.resetDay);
    const heldEarlier = await this.#read(ledgerKey(job.guildId, earlier));
    const period = heldEarlier && job.id in heldEarlier.ledger.reserved ? earlier : created;
    let warning: BudgetWarning | undefined;
    await this.#change(ledgerKey(job.guildId, period), (ledger) => {
      warning = undefined;
      if (ledger.settled.includes(job.id)) return undefined;
      const { [job.id]: _hold, ...reserved } = ledger.reserved;
      const spent = roundCredits(ledger.spent + charge.credits);
      const next: Ledger = {
        ...ledger,
        spent,
        estimated: roundCredits(ledger.estimated + (charge.estimated ? charge.credits : 0)),
        reserved,
        settled: [...ledger.settled, job.id].slice(-SETTLED_KEPT),
      };
      if (budget.credits !== null && ledger.warnedAt === null && spent >= WARN_AT_SHARE * budget.credits) {
        const at = this.#now();
        next.warnedAt = at;
        warning = {
          guildId: job.guildId,
          spent,
          estimated: next.estimated,
          budget: budget.credits,
          share: spent / budget.credits,
          resetsAt: period.endsAt,
          at,
        };
      }
      return next;
    });
    if (warning) await this.#warn(warning);
  }

  /** The current period's figures, read only (for /animate-setup status). */
  async standing(guildId: string, budget: BudgetSettings): Promise<BudgetStanding> {
    const now = this.#now();
    const period = budgetPeriodAt(now, budget.resetDay);
    const ledger = (await this.#read(ledgerKey(guildId, period)))?.ledger ?? ledgerSchema.parse({});
    return {
      period,
      budget: budget.credits,
      spent: ledger.spent,
      estimated: ledger.estimated,
      reserved: sumHolds(liveHolds(ledger, now)),
      warnedAt: ledger.warnedAt,
    };
  }

  async #warn(warning: BudgetWarning): Promise<void> {
    this.#logger.info(
      { guildId: warning.guildId, spent: warning.spent, budget: warning.budget },
      'budget 80 % reached',
    );
    for (const listener of this.#warningListeners) {
      await Promise.resolve()
        .then(() => listener(warning))
        .catch((error: unknown) =>
          this.#logger.warn({ err: error, guildId: warning.guildId }, 'a budget warning listener failed'),
        );
    }
  }

  async #read(key: string): Promise<{ ledger: Ledger; stored: StoredValue } | undefined> {
    const stored = await this.#atomic.read(key);
    if (!stored) return undefined;
    const parsed = ledgerSchema.safeParse(stored.value);
    if (parsed.success) return { ledger: parsed.data, stored };
    // Written by a version that kept other fields: counted from zero rather than refusing every job.
    this.#logger.warn({ key, issues: parsed.error.issues.length }, 'unreadable budget ledger replaced');
    return { ledger: ledgerSchema.parse({}), stored };
  }

  /**
   * Compare-and-set: `change` sees the stored ledger and answers the next one (undefined: leave
   * it); re-read and tried again when another writer got in first. Its throws pass through.
   */
  async #change(key: string, change: (ledger: Ledger) => Ledger | undefined): Promise<void> {
    for (let attempt = 0; attempt < MAX_SWAP_ATTEMPTS; attempt += 1) {
      const current = await this.#read(key);
      const next = change(current?.ledger ?? ledgerSchema.parse({}));
      if (next === undefined) return;
      if (await this.#atomic.swap(key, current?.stored.raw, next, LEDGER_TTL_MS)) return;
      // Many writers on one record: a little random spacing lets each of them through.
      await sleep(Math.random() * Math.min(50, 2 * (attempt + 1)));
    }
    throw new Error(`budget ledger ${key} kept changing under ${MAX_SWAP_ATTEMPTS} attempts`);
  }
}

function liveHolds(ledger: Ledger, now: number): Ledger['reserved'] {
  return Object.fromEntries(Object.entries(ledger.reserved).filter(([, hold]) => hold.until > now));
}

function sumHolds(holds: Ledger['reserved']): number {
  return roundCredits(Object.values(holds).reduce((sum, hold) => sum + hold.credits, 0));
}

function refuseOver(
  budget: BudgetSettings,
  ledger: Ledger,
  held: Ledger['reserved'],
  need: number,
  period: BudgetPeriod,
): void {
  if (budget.credits === null) return;
  const committed = roundCredits(ledger.spent + sumHolds(held));
  if (committed + need <= budget.credits) return;
  throw new UserFacingError('budget.exceeded', {
    estimate: roundCredits(need),
    budget: budget.credits,
    left: roundCredits(Math.max(0, budget.credits - committed)),
    when: absoluteTime(period.endsAt),
  });
}
