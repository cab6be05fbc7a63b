import { budgetPeriodAt } from '../budget/budget-period.js';
import { roundCredits } from '../models/options.js';
import { median } from '../quota/eta-book.js';
import type { UsageEntry } from './usage-log.js';

const DAY_MS = 24 * 60 * 60_000;
/** How many members each "top" list names. */
export const TOP_MEMBERS = 5;

export const USAGE_PERIODS = ['7d', '30d', 'month'] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

/** The days a usage report covers, whole UTC days up to today (the budget month from its reset day). */
export interface UsageWindow {
  period: UsagePeriod;
  from: number;
  to: number;
  /** Each day, `YYYY-MM-DD`, oldest first. */
  days: string[];
}

export interface UsageReport {
  window: UsageWindow;
  /** Models that spent anything or made a video, dearest first. */
  models: string[];
  /** Credits per model (same order as `models`) and day (same order as `window.days`). */
  creditsPerDay: number[][];
  totals: {
    credits: number;
    /** Of `credits`, those from the bot's estimates (Kie did not say). */
    estimated: number;
    jobs: number;
    delivered: number;
    /** Delivered videos per finished job, 0–1; null when no job finished. */
    successRate: number | null;
  };
  topByCredits: Array<{ userId: string; credits: number }>;
  topByVideos: Array<{ userId: string; videos: number }>;
  /** Per model that delivered: the median time from request to video. */
  timeToVideo: Array<{ model: string; medianMs: number; videos: number }>;
}

/** The window of `period` as of `now`. */
export function usageWindowOf(period: UsagePeriod, now: number, resetDay = 1): UsageWindow {
  const today = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  const from =
    period === 'month'
      ? budgetPeriodAt(now, resetDay).startsAt
      : today - ((period === '7d' ? 7 : 30) - 1) * DAY_MS;
  const days: string[] = [];
  for (let at = from; at <= today; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return { period, from, to: today + DAY_MS, days };
}

/** Sums a server's usage entries over a window: the totals are the entries' credits, to the cent. */
export function summariseUsage(entries: readonly UsageEntry[], window: UsageWindow): UsageReport {
  const inside = entries.filter((entry) => entry.finishedAt >= window.from && entry.finishedAt < window.to);
  const dayIndex = new Map(window.days.map((day, index) => [day, index]));
  const perModel = new Map<string, number[]>();
  const credits = new Map<string, number>();
  const videos = new Map<string, number>();
  const times = new Map<string, number[]>();
  for (const entry of inside) {
    const day = dayIndex.get(new Date(entry.finishedAt).toISOString().slice(0, 10));
    const row = perModel.get(entry.model) ?? window.days.map(() => 0);
    if (day !== undefined) row[day] = (row[day] ?? 0) + entry.credits;
    perModel.set(entry.model, row);
    credits.set(entry.userId, (credits.get(entry.userId) ?? 0) + entry.credits);
    if (entry.outcome === 'delivered') {
      videos.set(entry.userId, (videos.get(entry.userId) ?? 0) + 1);
      if (entry.timeToVideoMs !== null)
        times.set(entry.model, [...(times.get(entry.model) ?? []), entry.timeToVideoMs]);
    }
  }
  const sum = (values: Iterable<number>) =>
    roundCredits([...values].reduce((total, value) => total + value, 0));
  const models = [...perModel.entries()].sort(([, a], [, b]) => sum(b) - sum(a)).map(([model]) => model);
  const delivered = inside.filter((entry) => entry.outcome === 'delivered').length;
  return {
    window,
    models,
    creditsPerDay: models.map((model) => (perModel.get(model) ?? []).map(roundCredits)),
    totals: {
      credits: sum(inside.map((entry) => entry.credits)),
      estimated: sum(inside.filter((entry) => entry.estimated).map((entry) => entry.credits)),
      jobs: inside.length,
      delivered,
      successRate: inside.length === 0 ? null : delivered / inside.length,
    },
    topByCredits: [...credits.entries()]
      .filter(([, spent]) => spent > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, TOP_MEMBERS)
      .map(([userId, spent]) => ({ userId, credits: roundCredits(spent) })),
    topByVideos: [...videos.entries()]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, TOP_MEMBERS)
      .map(([userId, count]) => ({ userId, videos: count })),
    timeToVideo: [...times.entries()]
      .map(([model, ms]) => ({ model, medianMs: median(ms), videos: ms.length }))
      .sort((a, b) => a.model.localeCompare(b.model)),
  };
}
