// Sliding-window counts over arrival times, as Kie (and the Kie stand-in) count them.

/** Most arrivals in any window of `windowMs`, for times already sorted ascending. */
export function windowPeak(sorted: readonly number[], windowMs: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Most arrivals in any window of `windowMs`, for times in any order. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  return windowPeak(
    [...times].sort((a, b) => a - b),
    windowMs,
  );
}
