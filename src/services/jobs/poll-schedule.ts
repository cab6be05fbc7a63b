/**
 * Kie's documented polling pace: every 2–3 s for the first 30 s, 5–10 s until 2 minutes, then
 * 15–30 s, of which we take the slow end (24–30 s): a video takes minutes, a few seconds more
 * are not noticed, and a bot tracking thousands of jobs makes a fifth fewer calls. Jitter spreads
 * many jobs so they do not poll in lockstep.
 */
export function nextPollDelayMs(elapsedMs: number, random: () => number = Math.random): number {
  const [low, high] =
    elapsedMs < 30_000 ? [2_000, 3_000] : elapsedMs < 120_000 ? [5_000, 10_000] : [24_000, 30_000];
  return Math.round(low + (high - low) * random());
}

/** The slowest safety-net poll of a job Kie will call back for. */
const CALLBACK_SAFETY_POLL_MS = 180_000;

/**
 * When to poll a job next. A job Kie will call back for (PUBLIC_URL) is polled only as a safety
 * net against a lost callback: six times slower than the documented pace, at most every 3 minutes
 * (Kie retries a callback 3 times). Early on that still shows the member "queued" → "generating".
 */
export function pollDelayMs(
  elapsedMs: number,
  hasCallback: boolean,
  random: () => number = Math.random,
): number {
  const pace = nextPollDelayMs(elapsedMs, random);
  return hasCallback ? Math.min(CALLBACK_SAFETY_POLL_MS, pace * 6) : pace;
}

/** Backoff after a failed poll (Kie 5xx, timeout…): doubles per consecutive failure, capped at 60 s. */
export function pollRetryDelayMs(consecutiveFailures: number, random: () => number = Math.random): number {
  const base = 2_000 * 2 ** Math.max(0, consecutiveFailures - 1);
  return Math.min(60_000, Math.round(base * (0.75 + 0.5 * random())));
}

/**
 * Backoff between delivery attempts (download or Discord trouble): 5 s doubling per attempt,
 * capped at 10 minutes, jittered. Over a two-hour window that is about twenty attempts.
 */
export function deliveryRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = 5_000 * 2 ** Math.max(0, attempts - 1);
  return Math.min(10 * 60_000, Math.round(base * (0.75 + 0.5 * random())));
}
