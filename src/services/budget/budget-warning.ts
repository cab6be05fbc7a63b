/** A server's charges reached 80 % of its budget: said once per period. */
export interface BudgetWarning {
  guildId: string;
  /** Charged this period (credits), `estimated` of it from the bot's estimates. */
  spent: number;
  estimated: number;
  budget: number;
  /** `spent / budget`, 0.8 or more. */
  share: number;
  /** When the period ends and the budget starts again (epoch ms). */
  resetsAt: number;
  at: number;
}

/**
 * What the audit log channel registers with `BudgetLedger.onBudgetWarning` to post the warning
 * (the status shows it meanwhile). A failing listener is logged, never fails a job.
 */
export type BudgetWarningListener = (warning: BudgetWarning) => void | Promise<void>;
