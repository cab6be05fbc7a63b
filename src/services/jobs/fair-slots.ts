/**
 * A fixed number of slots shared fairly between groups (servers): when a slot frees, the next
 * task comes from the group after the one served last, not from the longest queue. One server
 * with a hundred videos ready cannot hold back another server's one.
 */
export class FairSlots {
  readonly #size: number;
  #busy = 0;
  /** Waiting tasks per group, in arrival order; groups in the order they are served. */
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
    if (this.#busy >= this.#size) {
      await new Promise<void>((start) => {
        const queue = this.#queues.get(group);
        if (queue) queue.push(start);
        else this.#queues.set(group, [start]);
      });
    } else {
      this.#busy += 1;
    }
    try {
      return await task();
    } finally {
      this.#handOver();
    }
  }

  /** Gives the freed slot to the first group in line, which then goes to the back of the line. */
  #handOver(): void {
    for (const [group, queue] of this.#queues) {
      const start = queue.shift();
      this.#queues.delete(group);
      if (queue.length > 0) this.#queues.set(group, queue);
      if (start) {
        start();
        return;
      }
    }
    this.#busy -= 1;
  }
}
