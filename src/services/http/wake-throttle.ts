/** A job a callback may wake. */
export interface WakeTarget {
  guildId: string;
  jobId: string;
}

/** Default: at most one wake per job every 10 s. */
export const DEFAULT_WAKE_INTERVAL_MS = 10_000;

/**
 * At most one wake per job per interval, so a flood of callbacks for one token cannot make the bot
 * hammer Kie's recordInfo. A callback inside the interval is not dropped: it asks for one more
 * wake at the interval's end (however many asked), so Kie's genuine callback that lands right after
 * a forged one still finishes the job within the interval instead of at the next safety-net poll.
 * Entries live only while their interval runs, so memory follows the jobs woken in the last interval.
 */
export class WakeThrottle {
  readonly #intervalMs: number;
  readonly #wake: (job: WakeTarget) => void;
  readonly #windows = new Map<string, { again: boolean; timer: NodeJS.Timeout }>();

  constructor(wake: (job: WakeTarget) => void, intervalMs = DEFAULT_WAKE_INTERVAL_MS) {
    this.#wake = wake;
    this.#intervalMs = intervalMs;
  }

  /** Wakes the job now (`'woken'`) or once at the end of its current interval (`'deferred'`). */
  offer(job: WakeTarget): 'woken' | 'deferred' {
    const key = `${job.guildId}:${job.jobId}`;
    const window = this.#windows.get(key);
    if (window) {
      window.again = true;
      return 'deferred';
    }
    this.#open(key, job);
    return 'woken';
  }

  /** Jobs with an interval running (for tests and metrics). */
  get size(): number {
    return this.#windows.size;
  }

  /** Drops every pending wake (shutdown). */
  close(): void {
    for (const window of this.#windows.values()) clearTimeout(window.timer);
    this.#windows.clear();
  }

  #open(key: string, job: WakeTarget): void {
    const window = {
      again: false,
      timer: setTimeout(() => {
        this.#windows.delete(key);
        if (window.again) this.#open(key, job);
      }, this.#intervalMs),
    };
    // A pending wake must not keep the process alive: the job's safety-net poll covers it.
    window.timer.unref();
    this.#windows.set(key, window);
    this.#wake(job);
  }
}
