import { settledWithin } from '../services/settled-within.js';

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
    const deadline = Date.now() + timeoutMs;
    // Work started while waiting is waited for too, within the same deadline.
    while (this.#running.size > 0) {
      if (!(await settledWithin(Promise.all(this.#running), deadline - Date.now()))) break;
    }
    return this.#running.size;
  }
}
