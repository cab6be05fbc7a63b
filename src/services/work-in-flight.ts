/**
 * Counts the handlers under way so a shutdown can let them finish before the store closes:
 * a handler that touched a closed Redis client would quietly open a new connection and keep
 * the process alive.
 */
export class WorkInFlight {
  readonly #running = new Set<Promise<unknown>>();

  get size(): number {
    return this.#running.size;
  }

  /** Runs the work and remembers it until it settles. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return running;
  }

  /** Waits until nothing is under way or the time is up; resolves with how many are still running. */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    while (this.#running.size > 0) {
      const all = Promise.all(this.#running);
      if (
        (await Promise.race([all.then(() => 'done' as const), timeUp.then(() => 'late' as const)])) === 'late'
      )
        break;
    }
    clearTimeout(timer);
    return this.#running.size;
  }
}
