import type { BudgetStanding } from '../budget/budget-ledger.js';
import { absoluteTime } from '../budget/budget-period.js';
import { translate } from '../i18n/index.js';
import { roundCredits } from '../models/options.js';

/** The budget's line in /animate-setup status: spent / budget, held, when it starts again, the 80 % warning. */
export function renderBudgetField(locale: string, standing: BudgetStanding): { name: string; value: string } {
  const when = absoluteTime(standing.period.endsAt);
  const lines = [
    standing.budget === null
      ? translate(locale, 'budget.statusNone', { spent: standing.spent, reserved: standing.reserved, when })
      : translate(locale, 'budget.status', {
          spent: standing.spent,
          budget: standing.budget,
          percent: Math.floor((standing.spent / standing.budget) * 100),
          reserved: standing.reserved,
          when,
        }),
  ];
  if (standing.estimated > 0)
    lines.push(translate(locale, 'budget.estimatedPart', { credits: roundCredits(standing.estimated) }));
  if (standing.warnedAt !== null)
    lines.push(translate(locale, 'budget.warned', { when: absoluteTime(standing.warnedAt) }));
  return { name: translate(locale, 'budget.field'), value: lines.join('\n') };
}
