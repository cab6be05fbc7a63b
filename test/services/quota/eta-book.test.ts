import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import { ETA_MIN_SAMPLES, ETA_SAMPLES_KEPT, EtaBook } from '../../../src/services/quota/eta-book.js';
import { etaText, formatDuration } from '../../../src/services/render/quota-messages.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob } from '../../support/jobs.js';

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

/** A job whose video Kie made in `kieMs` (its own completeTime), seen by the bot `lagMs` later. */
function delivering(
  kieMs: number,
  overrides: Partial<JobOf<'delivering'>> = {},
  lagMs = 2_000,
): JobOf<'delivering'> {
  const submittedAt = overrides.submittedAt ?? T0;
  return {
    ...makePendingJob({ createdAt: submittedAt - 500, deadlineAt: submittedAt + 30 * 60_000 }),
    status: 'delivering',
    taskId: 'task-1',
    submittedAt,
    resultUrl: 'https://example.com/video.mp4',
    completedAt: submittedAt + kieMs,
    deliveryStartedAt: submittedAt + kieMs + lagMs,
    deliveryAttempts: 0,
    ...overrides,
  };
}

const running = (overrides: Partial<JobOf<'running'>> = {}): JobOf<'running'> => ({
  ...makePendingJob(),
  status: 'running',
  taskId: 'task-2',
  submittedAt: T0,
  ...overrides,
});

describe('EtaBook', () => {
  const books: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const book of books.splice(0)) await book.close();
  });

  function memoryBook() {
    const keyv = openKeyv('sqlite://:memory:');
    books.push({ close: () => keyv.disconnect() });
    return new EtaBook(keyv, logger);
  }

  it('says "no estimate yet" below a handful of finished jobs, then gives the median of Kie’s own times', async () => {
    const book = memoryBook();
    const times = [90_000, 60_000, 120_000, 75_000];
    for (const ms of times) await book.record(delivering(ms));
    expect(await book.estimate(running())).toEqual({ known: false, samples: 4 });
    expect(ETA_MIN_SAMPLES).toBe(5);

    await book.record(delivering(300_000));
    expect(await book.estimate(running({ submittedAt: T0 + 1_000 }))).toEqual({
      known: true,
      medianMs: 90_000,
      samples: 5,
      expectedAt: T0 + 1_000 + 90_000,
    });
  });

  it('keeps one history per model and duration', async () => {
    const book = memoryBook();
    for (let i = 0; i < 5; i += 1) await book.record(delivering(60_000));
    const longer = makePendingJob().options;
    expect((await book.estimate(running())).known).toBe(true);
    expect(await book.estimate(running({ options: { ...longer, durationSeconds: 15 } }))).toEqual({
      known: false,
      samples: 0,
    });
    expect(await book.estimate(running({ model: 'kling-3.0/video' }))).toEqual({ known: false, samples: 0 });
    expect(await book.estimate(running({ guildId: '1100000000000000042' }))).toEqual({
      known: false,
      samples: 0,
    });
  });

  it('keeps only the last 20 times, so the estimate follows the server’s recent days', async () => {
    const book = memoryBook();
    for (let i = 0; i < ETA_SAMPLES_KEPT; i += 1) await book.record(delivering(600_000));
    for (let i = 0; i < ETA_SAMPLES_KEPT / 2 + 1; i += 1) await book.record(delivering(60_000));
    expect(await book.estimate(running())).toMatchObject({ medianMs: 60_000, samples: ETA_SAMPLES_KEPT });
  });

  it('counts Kie’s time, not the bot’s lag; a completeTime from a skewed clock gives way to when the bot saw the end', async () => {
    const book = memoryBook();
    await book.record(delivering(60_000, {}, 170_000));
    // Kie's clock behind ours: completeTime before createTask returned.
    await book.record(delivering(60_000, { completedAt: T0 - 5_000, deliveryStartedAt: T0 + 62_000 }));
    // Kie's clock ahead: completeTime after the bot already saw the end.
    await book.record(delivering(60_000, { completedAt: T0 + 99_000, deliveryStartedAt: T0 + 61_000 }));
    // No completeTime at all.
    await book.record(delivering(60_000, { completedAt: null, deliveryStartedAt: T0 + 60_000 }));
    await book.record(delivering(60_000));
    expect(await book.estimate(running({ submittedAt: T0 }))).toMatchObject({ medianMs: 60_000 });
  });

  it('ignores a video delivered again by hand hours later: it says nothing of Kie’s speed', async () => {
    const book = memoryBook();
    // What Redeliver makes of a failed job: no completeTime, delivery starting long past the deadline.
    await book.record(delivering(0, { completedAt: null, deliveryStartedAt: T0 + 3 * 60 * 60_000 }));
    expect(await book.estimate(running())).toEqual({ known: false, samples: 0 });
  });

  it('keeps its history in the store: a new process gives the same estimate', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'eta-book-'));
    const url = `sqlite://${path.join(dir, 'store.sqlite')}`;
    try {
      const first = openKeyv(url);
      for (const ms of [10_000, 20_000, 30_000, 40_000, 50_000, 60_000]) {
        await new EtaBook(first, logger).record(delivering(ms));
      }
      await first.disconnect();
      const second = openKeyv(url);
      expect(await new EtaBook(second, logger).estimate(running())).toMatchObject({
        medianMs: 35_000,
        samples: 6,
      });
      await second.disconnect();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the expected end, as members read it', () => {
  it.each([
    [45_000, 'en-US', '45 s'],
    [150_000, 'en-US', '3 min'],
    [65 * 60_000, 'en-US', '1 h 5 min'],
    [150_000, 'zh-CN', '3 分钟'],
  ])('%i ms reads %s: %s', (ms, locale, expected) => {
    expect(formatDuration(locale, ms)).toBe(expected);
  });

  it('gives a time while it is ahead, "any moment now" once past, and why there is none', () => {
    const eta = { known: true, medianMs: 90_000, samples: 6, expectedAt: T0 + 90_000 } as const;
    expect(etaText('en-US', eta, T0)).toBe(`ready <t:${(T0 + 90_000) / 1000}:R> (usually 90 s here)`);
    expect(etaText('en-US', eta, T0 + 91_000)).toBe('any moment now (usually 90 s here)');
    expect(etaText('en-US', { known: false, samples: 2 }, T0)).toBe(
      'no estimate yet (2 of 5 videos like it made here)',
    );
  });
});
