import { describe, expect, it } from 'vitest';
import { FairSlots } from '../../../src/services/jobs/fair-slots.js';

/** A task that runs until released, recording when it started. */
function held(started: string[], name: string) {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    run: async () => {
      started.push(name);
      await done;
    },
    release: () => release(),
  };
}

describe('FairSlots', () => {
  it('serves a server with one video before the hundredth of a busy server', async () => {
    const slots = new FairSlots(2);
    const started: string[] = [];
    const busy = Array.from({ length: 100 }, (_, i) => held(started, `busy-${i}`));
    const runs = busy.map((task) => slots.run('busy-guild', task.run));
    const quiet = held(started, 'quiet-0');
    const quietRun = slots.run('quiet-guild', quiet.run);
    await Promise.resolve();
    expect(started).toEqual(['busy-0', 'busy-1']);

    busy[0]?.release();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    // The freed slot goes to the server that waited, not to the busy server's third video.
    expect(started).toEqual(['busy-0', 'busy-1', 'quiet-0']);
    quiet.release();
    await quietRun;
    for (const task of busy) task.release();
    await Promise.all(runs);
    expect(started).toHaveLength(101);
    expect(slots.waiting).toBe(0);
  });

  it('never runs more than its slots at once, and frees a slot when a task throws', async () => {
    const slots = new FairSlots(1);
    let running = 0;
    let most = 0;
    const task = async (fail: boolean) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (fail) throw new Error('boom');
    };
    const results = await Promise.allSettled([
      slots.run('a', () => task(true)),
      slots.run('b', () => task(false)),
      slots.run('a', () => task(false)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(most).toBe(1);
  });
});
