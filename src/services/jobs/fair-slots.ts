/**
 * A fixed number of slots shared fairly between groups (servers): a freed slot goes to the
 * waiting group with the fewest tasks running (ties: the one served longest ago), not to the
 * longest queue. One server with a hundred videos ready cannot hold back another server's one.
 */
export class FairSlots {
  readonly #size: number;
  /** Tasks running per group (absent: none). */
  readonly #running = new Map<string, number>();
  /** Waiting tasks per group, in arrival order; groups in the order they were last served. */
  readonly #queues = new Map<string, Array<() => void>>();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('FairSlots needs at least one slot');
    this.#size = size;
  }

  /** Tasks waiting for a slot, over all groups. */
  get waiting(): number {
    let count = 0;
    for (const queue of this.#queues.values()) count += queue.length;
    return count;
  }

  async run<T>(group: string, task: () => Promise<T>): Promise<T> {
    if (this.#busy() >= this.#size || this.#queues.size > 0) {
      await new Promise<void>((start) => {
        const queue = this.#queues.get(group);
        if (queue) queue.push(start);
        else this.#queues.set(group, [start]);
      });
    } else {
      this.#adjust(group, +1);
    }
    try {
      return await task();
    } finally {
      this.#adjust(group, -1);
      this.#handOver();
    }
  }

  #busy(): number {
    let count = 0;
    for (const running of this.#running.values()) count += running;
    return count;
  }

  #adjust(group: string, delta: number): void {
    const count = (this.#running.get(group) ?? 0) + delta;
    if (count <= 0) this.#running.delete(group);
    else this.#running.set(group, count);
  }

  /** Starts waiting tasks while slots are free, the least-served group first. */
  #handOver(): void {
    while (this.#busy() < this.#size && this.#queues.size > 0) {
      let chosen: string | undefined;
      for (const group of this.#queues.keys()) {
        if (chosen === undefined || (this.#running.get(group) ?? 0) < (this.#running.get(chosen) ?? 0))
          chosen = group;
      }
      const queue = chosen === undefined ? undefined : this.#queues.get(chosen);
      if (chosen === undefined || !queue) return;
      const start = queue.shift();
      // Served: to the back of the line (a Map keeps insertion order).
      this.#queues.delete(chosen);
      if (queue.length > 0) this.#queues.set(chosen, queue);
      this.#adjust(chosen, +1);
      start?.();
    }
  }
}
