import { describe, expect, it } from 'vitest';
import { budgetPeriodAt, previousBudgetPeriod } from '../../../src/services/budget/budget-period.js';

describe('budgetPeriodAt', () => {
  it('runs calendar months in UTC by default', () => {
    const period = budgetPeriodAt(Date.UTC(2026, 11, 4, 19));
    expect(period).toEqual({
      key: '2026-12-01',
      startsAt: Date.UTC(2026, 11, 1),
      endsAt: Date.UTC(2027, 0, 1),
    });
  });

  it('starts on the reset day, the period before it reaching back into the previous month (and year)', () => {
    expect(budgetPeriodAt(Date.UTC(2027, 0, 14, 23, 59), 15)).toMatchObject({
      key: '2026-12-15',
      endsAt: Date.UTC(2027, 0, 15),
    });
    expect(budgetPeriodAt(Date.UTC(2027, 0, 15), 15).key).toBe('2027-01-15');
    expect(previousBudgetPeriod(budgetPeriodAt(Date.UTC(2027, 0, 20), 15), 15).key).toBe('2026-12-15');
  });

  it('keeps the reset day within 1–28, so February has it', () => {
    expect(budgetPeriodAt(Date.UTC(2027, 1, 28), 31).key).toBe('2027-02-28');
    expect(budgetPeriodAt(Date.UTC(2027, 1, 3), 0).key).toBe('2027-02-01');
  });
});
