import { describe, expect, it } from 'vitest';
import type { UsageEntry } from '../../../src/services/usage/usage-log.js';
import { summariseUsage, usageWindowOf } from '../../../src/services/usage/usage-report.js';

const NOW = Date.UTC(2026, 11, 20, 15);
const DAY = 24 * 60 * 60_000;
let serial = 0;
const entry = (over: Partial<UsageEntry>): UsageEntry => {
  serial += 1;
  return {
    jobId: `job${serial}`,
    userId: '1300000000000000001',
    model: 'sora-2',
    credits: 30,
    estimated: false,
    outcome: 'delivered',
    durationSeconds: 10,
    timeToVideoMs: 60_000,
    finishedAt: NOW,
    ...over,
  };
};

describe('usageWindowOf', () => {
  it('covers whole UTC days up to today, or the budget month from its reset day', () => {
    expect(usageWindowOf('7d', NOW).days).toEqual([
      '2026-12-14',
      '2026-12-15',
      '2026-12-16',
      '2026-12-17',
      '2026-12-18',
      '2026-12-19',
      '2026-12-20',
    ]);
    expect(usageWindowOf('30d', NOW).days).toHaveLength(30);
    const month = usageWindowOf('month', NOW, 15);
    expect(month.days[0]).toBe('2026-12-15');
    expect(month.to).toBe(Date.UTC(2026, 11, 21));
  });
});

describe('summariseUsage', () => {
  const window = usageWindowOf('7d', NOW);
  const entries = [
    entry({ userId: '1300000000000000001', credits: 30, finishedAt: NOW - 2 * DAY, timeToVideoMs: 50_000 }),
    entry({ userId: '1300000000000000001', credits: 30.25, estimated: true, timeToVideoMs: 70_000 }),
    entry({ userId: '1300000000000000002', model: 'veo', credits: 150, timeToVideoMs: 200_000 }),
    entry({
      userId: '1300000000000000002',
      model: 'veo',
      credits: 0,
      outcome: 'failed',
      timeToVideoMs: null,
    }),
    entry({
      userId: '1300000000000000003',
      credits: 12.5,
      outcome: 'expired',
      estimated: true,
      timeToVideoMs: null,
    }),
    // Outside the window: not counted anywhere.
    entry({ userId: '1300000000000000004', credits: 999, finishedAt: NOW - 9 * DAY }),
  ];
  const report = summariseUsage(entries, window);

  it('totals equal the recorded credits of the jobs in the window, estimated ones named', () => {
    expect(report.totals).toEqual({
      credits: 222.75,
      estimated: 42.75,
      jobs: 5,
      delivered: 3,
      successRate: 0.6,
    });
    const charted = report.creditsPerDay.flat().reduce((sum, credits) => sum + credits, 0);
    expect(charted).toBeCloseTo(222.75, 6);
  });

  it('stacks credits per day by model, dearest model first', () => {
    expect(report.models).toEqual(['veo', 'sora-2']);
    expect(report.creditsPerDay[0]?.[6]).toBe(150);
    expect(report.creditsPerDay[1]?.[4]).toBe(30);
    expect(report.creditsPerDay[1]?.[6]).toBe(42.75);
  });

  it('ranks members by credits and by videos, and takes the median time to video per model', () => {
    expect(report.topByCredits).toEqual([
      { userId: '1300000000000000002', credits: 150 },
      { userId: '1300000000000000001', credits: 60.25 },
      { userId: '1300000000000000003', credits: 12.5 },
    ]);
    expect(report.topByVideos).toEqual([
      { userId: '1300000000000000001', videos: 2 },
      { userId: '1300000000000000002', videos: 1 },
    ]);
    expect(report.timeToVideo).toEqual([
      { model: 'sora-2', medianMs: 60_000, videos: 2 },
      { model: 'veo', medianMs: 200_000, videos: 1 },
    ]);
  });
});
