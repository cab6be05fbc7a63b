import type { Logger } from 'pino';
import { UserFacingError } from '../user-facing-error.js';
import type { BudgetHold, BudgetLedger, BudgetSettings } from './budget-ledger.js';

/**
 * The budget a launch holds, per job id: taken before the upload, moved to the estimate of the
 * model each job really uses, given back for the jobs Kie never took. Without a ledger, a no-op.
 */
export class LaunchHold {
  readonly #hold: BudgetHold | undefined;
  readonly #held: Map<string, number>;
  readonly #logger: Logger;

  private constructor(hold: BudgetHold | undefined, held: Map<string, number>, logger: Logger) {
    this.#hold = hold;
    this.#held = held;
    this.#logger = logger;
  }

  /** Holds `credits` for each of `jobIds`, all or none; throws `budget.exceeded` when they do not fit. */
  static async take(
    ledger: BudgetLedger | undefined,
    guildId: string,
    budget: BudgetSettings,
    jobIds: readonly string[],
    credits: number,
    logger: Logger,
  ): Promise<LaunchHold> {
    const held = new Map(jobIds.map((jobId) => [jobId, credits]));
    if (!ledger) return new LaunchHold(undefined, held, logger);
    const hold = await ledger.reserve(
      guildId,
      budget,
      jobIds.map((jobId) => ({ jobId, credits })),
    );
    return new LaunchHold(hold, held, logger);
  }

  /**
   * The job is about to start on a model of this estimate: holds that instead. Answers the
   * budget's refusal when it no longer fits (any other fault is thrown).
   */
  async fit(jobId: string, credits: number): Promise<UserFacingError | undefined> {
    if (this.#held.get(jobId) === credits) return undefined;
    try {
      await this.#hold?.resize(jobId, credits);
    } catch (error) {
      if (error instanceof UserFacingError) return error;
      throw error;
    }
    this.#held.set(jobId, credits);
    return undefined;
  }

  /** Gives back what the jobs Kie never took held; best effort (a hold lapses with its job's deadline). */
  async release(jobIds: readonly string[]): Promise<void> {
    await Promise.all(
      jobIds.map((jobId) =>
        this.#hold
          ?.release(jobId)
          .catch((error: unknown) =>
            this.#logger.warn({ err: error, jobId }, 'could not give back a budget hold'),
          ),
      ),
    );
  }
}
