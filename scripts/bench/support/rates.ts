// Request-rate figures from arrival times: peaks over sliding windows, and what Kie would refuse.
import { windowPeak } from '../../../test/support/windows.js';

/** Arrivals that find `limit` others already in the trailing `windowMs`: what a sliding-window limiter refuses. */
export function overLimit(sorted: readonly number[], limit: number, windowMs: number): number {
  let over = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    if (end - start + 1 > limit) over += 1;
  }
  return over;
}

export interface RequestRecord {
  at: number;
  route: string;
  key: string;
  /** recordInfo's taskId. */
  taskId?: string;
}

export interface RateStats {
  /** Requests in the range, by route. */
  byRoute: Record<string, number>;
  /** Most recordInfo requests in any 1 s, over all keys. */
  peakPollPerSecond: number;
  /** Most recordInfo requests in any 1 s for one key, and that key's share of keys. */
  peakPollPerKeyPerSecond: number;
  /** Most requests of any route in any 1 s, over all keys. */
  peakAllPerSecond: number;
  /** Most requests of any route in any 1 s for one key. */
  peakAllPerKeyPerSecond: number;
  /** recordInfo arrivals beyond 10 in a trailing second of their key (Kie: "~10 / s per key"). */
  pollOverLimit: number;
  /** createTask arrivals beyond 20 in a trailing 10 s of their key (Kie: 20 per 10 s). */
  createOverLimit: number;
  keys: number;
}

export function rateStats(records: readonly RequestRecord[]): RateStats {
  const byRoute: Record<string, number> = {};
  const all: number[] = [];
  const polls: number[] = [];
  const pollsByKey = new Map<string, number[]>();
  const allByKey = new Map<string, number[]>();
  const createsByKey = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, at: number) => {
    const list = map.get(key);
    if (list) list.push(at);
    else map.set(key, [at]);
  };
  for (const r of records) {
    byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
    all.push(r.at);
    push(allByKey, r.key, r.at);
    if (r.route === 'recordInfo') {
      polls.push(r.at);
      push(pollsByKey, r.key, r.at);
    }
    if (r.route === 'createTask') push(createsByKey, r.key, r.at);
  }
  const asc = (a: number, b: number) => a - b;
  let peakPollPerKeyPerSecond = 0;
  let pollOverLimit = 0;
  for (const list of pollsByKey.values()) {
    list.sort(asc);
    peakPollPerKeyPerSecond = Math.max(peakPollPerKeyPerSecond, windowPeak(list, 1000));
    pollOverLimit += overLimit(list, 10, 1000);
  }
  let peakAllPerKeyPerSecond = 0;
  for (const list of allByKey.values()) {
    list.sort(asc);
    peakAllPerKeyPerSecond = Math.max(peakAllPerKeyPerSecond, windowPeak(list, 1000));
  }
  let createOverLimit = 0;
  for (const list of createsByKey.values()) createOverLimit += overLimit(list.sort(asc), 20, 10_000);
  return {
    byRoute,
    peakPollPerSecond: windowPeak(polls.sort(asc), 1000),
    peakPollPerKeyPerSecond,
    peakAllPerSecond: windowPeak(all.sort(asc), 1000),
    peakAllPerKeyPerSecond,
    pollOverLimit,
    createOverLimit,
    keys: allByKey.size,
  };
}
