import { afterEach, describe, expect, it, vi } from 'vitest';
import { settledWithin } from '../../src/services/settled-within.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('settledWithin', () => {
  it('says true as soon as the work settles, rejected or not', async () => {
    await expect(settledWithin(Promise.resolve(1), 1_000)).resolves.toBe(true);
    await expect(settledWithin(Promise.reject(new Error('no')), 1_000)).resolves.toBe(true);
    await expect(settledWithin(Promise.resolve(1), Number.POSITIVE_INFINITY)).resolves.toBe(true);
  });

  it('says false once the time is up, and leaves no timer behind either way', async () => {
    vi.useFakeTimers();
    let result: boolean | undefined;
    void settledWithin(new Promise(() => {}), 3_000).then((value) => {
      result = value;
    });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe(false);
    expect(vi.getTimerCount()).toBe(0);

    await settledWithin(Promise.resolve(), 3_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
