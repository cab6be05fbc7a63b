import { describe, expect, it } from 'vitest';
import { nextPollDelayMs, pollDelayMs, pollRetryDelayMs } from '../../../src/services/jobs/poll-schedule.js';

const lowest = () => 0;
/** The largest value Math.random() can return. */
const highest = () => 1 - Number.EPSILON;

describe('nextPollDelayMs', () => {
  it.each([
    ['at the start', 0, 2_000, 3_000],
    ['just before 30 s', 29_999, 2_000, 3_000],
    ['at 30 s', 30_000, 5_000, 10_000],
    ['just before 2 min', 119_999, 5_000, 10_000],
    ['at 2 min', 120_000, 24_000, 30_000],
    ['after an hour', 3_600_000, 24_000, 30_000],
  ])('waits between the documented bounds (the slow end past 2 min) %s', (_, elapsedMs, low, high) => {
    expect(nextPollDelayMs(elapsedMs, lowest)).toBe(low);
    expect(nextPollDelayMs(elapsedMs, highest)).toBe(high);
  });

  it('spreads delays across the window with jitter', () => {
    expect(nextPollDelayMs(10_000, () => 0.5)).toBe(2_500);
    expect(nextPollDelayMs(60_000, () => 0.5)).toBe(7_500);
    expect(nextPollDelayMs(300_000, () => 0.5)).toBe(27_000);
  });

  it('stays within the current window for many real random draws', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const early = nextPollDelayMs(5_000);
      const middle = nextPollDelayMs(90_000);
      const late = nextPollDelayMs(600_000);
      expect(early).toBeGreaterThanOrEqual(2_000);
      expect(early).toBeLessThanOrEqual(3_000);
      expect(middle).toBeGreaterThanOrEqual(5_000);
      expect(middle).toBeLessThanOrEqual(10_000);
      expect(late).toBeGreaterThanOrEqual(24_000);
      expect(late).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('pollDelayMs', () => {
  it('keeps the documented pace for a job without a callback', () => {
    expect(pollDelayMs(10_000, false, () => 0.5)).toBe(2_500);
    expect(pollDelayMs(600_000, false, () => 0.5)).toBe(27_000);
  });

  it('polls a job Kie will call back for six times slower, at most every 3 minutes', () => {
    expect(pollDelayMs(10_000, true, () => 0.5)).toBe(15_000);
    expect(pollDelayMs(60_000, true, () => 0.5)).toBe(45_000);
    expect(pollDelayMs(600_000, true, lowest)).toBe(144_000);
    expect(pollDelayMs(600_000, true, highest)).toBe(180_000);
  });
});

describe('pollRetryDelayMs', () => {
  it('doubles the wait with each consecutive failure', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((failures) => pollRetryDelayMs(failures, middle))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000,
    ]);
  });

  it('treats zero failures like the first one', () => {
    expect(pollRetryDelayMs(0, () => 0.5)).toBe(2_000);
  });

  it('stops growing at the 60 s cap, however many failures', () => {
    const middle = () => 0.5;
    expect(pollRetryDelayMs(6, middle)).toBe(60_000);
    expect(pollRetryDelayMs(50, middle)).toBe(60_000);
    expect(pollRetryDelayMs(5_000, middle)).toBe(60_000);
  });

  it('jitters by ±25 % around the base', () => {
    expect(pollRetryDelayMs(1, lowest)).toBe(1_500);
    expect(pollRetryDelayMs(1, highest)).toBe(2_500);
    expect(pollRetryDelayMs(3, lowest)).toBe(6_000);
    expect(pollRetryDelayMs(3, highest)).toBe(10_000);
  });

  it('never waits longer than the documented 60 s cap', () => {
    expect(pollRetryDelayMs(20, highest)).toBeLessThanOrEqual(60_000);
  });
});
