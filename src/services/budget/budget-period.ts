/** One budget period of a server: from its reset day at 00:00 UTC to the next one. */
export interface BudgetPeriod {
  /** The first day, `YYYY-MM-DD` (UTC): names the period's ledger. */
  key: string;
  startsAt: number;
  /** When the next period starts: what the member and the admins are told. */
  endsAt: number;
}

/** The reset day is at most the 28th, so every month has it. */
export const MAX_RESET_DAY = 28;

/**
 * The period `atMs` falls in, for a budget that starts again on `resetDay` (1–28) of each month,
 * at 00:00 UTC. Day 1: calendar months.
 */
export function budgetPeriodAt(atMs: number, resetDay = 1): BudgetPeriod {
  const day = Math.min(MAX_RESET_DAY, Math.max(1, Math.trunc(resetDay)));
  const at = new Date(atMs);
  let year = at.getUTCFullYear();
  let month = at.getUTCMonth();
  if (at.getUTCDate() < day) month -= 1;
  if (month < 0) {
    month = 11;
    year -= 1;
  }
  const startsAt = Date.UTC(year, month, day);
  const endsAt = Date.UTC(year, month + 1, day);
  return { key: new Date(startsAt).toISOString().slice(0, 10), startsAt, endsAt };
}

/** The period just before `period`, under the same reset day. */
export function previousBudgetPeriod(period: BudgetPeriod, resetDay = 1): BudgetPeriod {
  return budgetPeriodAt(period.startsAt - 1, resetDay);
}

/** A Discord absolute time ("4 January 2027 00:00"), as the budget's refusal and status show it. */
export function absoluteTime(atMs: number): string {
  return `<t:${Math.ceil(atMs / 1000)}:f>`;
}
