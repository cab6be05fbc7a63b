import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeThrottle } from '../../../src/services/http/wake-throttle.js';

const A = { guildId: 'g1', jobId: 'a' };
const B = { guildId: 'g1', jobId: 'b' };

describe('WakeThrottle', () => {
  let woken: string[];
  let throttle: WakeThrottle;
  beforeEach(() => {
    vi.useFakeTimers();
    woken = [];
    throttle = new WakeThrottle((job) => woken.push(job.jobId), 10_000);
  });
  afterEach(() => {
    throttle.close();
    vi.useRealTimers();
  });

  it('wakes a job at once, then at most once more per interval however many callbacks come', () => {
    expect(throttle.offer(A)).toBe('woken');
    for (let i = 0; i < 49; i += 1) expect(throttle.offer(A)).toBe('deferred');
    expect(woken).toEqual(['a']);
    vi.advanceTimersByTime(9_999);
    expect(woken).toEqual(['a']);
    // The callbacks of the first interval are not lost: one wake at its end.
    vi.advanceTimersByTime(1);
    expect(woken).toEqual(['a', 'a']);
    // Nothing more asked: the next interval ends quietly and the job is forgotten.
    vi.advanceTimersByTime(10_000);
    expect(woken).toEqual(['a', 'a']);
    expect(throttle.size).toBe(0);
    expect(throttle.offer(A)).toBe('woken');
    expect(woken).toEqual(['a', 'a', 'a']);
  });

  it('throttles each job on its own', () => {
    throttle.offer(A);
    throttle.offer(A);
    expect(throttle.offer(B)).toBe('woken');
    expect(woken).toEqual(['a', 'b']);
  });

  it('forgets a job whose interval passed without another callback', () => {
    throttle.offer(A);
    vi.advanceTimersByTime(10_000);
    expect(throttle.size).toBe(0);
    expect(woken).toEqual(['a']);
  });

  it('drops pending wakes on close', () => {
    throttle.offer(A);
    throttle.offer(A);
    throttle.close();
    vi.advanceTimersByTime(20_000);
    expect(woken).toEqual(['a']);
  });
});
