import type { Keyv } from 'keyv';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { type JobStep, JobTracker, type TrackOutcome } from '../../../src/services/jobs/job-tracker.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob } from '../../support/jobs.js';

const logger = pino({ level: 'silent' });
const GUILD_A = '1300000000000000001';
const GUILD_B = '1300000000000000002';
const GUILD_C = '1300000000000000003';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('JobTracker', () => {
  let keyv: Keyv;
  let jobs: JobStore;
  let tracker: JobTracker | undefined;
  /** Job ids in the order their steps started. */
  let stepped: string[];

  function startTracker(step: JobStep, resumeSpreadMs?: (count: number) => number) {
    const recording: JobStep = (job) => {
      stepped.push(job.id);
      return step(job);
    };
    tracker = new JobTracker({
      jobs,
      step: recording,
      logger,
      ...(resumeSpreadMs ? { resumeSpreadMs } : {}),
    });
    return tracker;
  }

  async function storedJob(overrides: Parameters<typeof makePendingJob>[0] = {}) {
    return putJob(jobs, makePendingJob(overrides));
  }

  const done = async (): Promise<TrackOutcome> => ({ next: 'done' });

  beforeEach(() => {
    vi.useFakeTimers();
    keyv = openKeyv('sqlite://:memory:', { namespace: `tracker-${Math.random().toString(36).slice(2)}` });
    jobs = new JobStore(keyv, logger);
    stepped = [];
  });

  afterEach(async () => {
    await tracker?.stop();
    tracker = undefined;
    vi.useRealTimers();
    await keyv.disconnect();
  });

  it('steps a tracked job once its delay has passed, with the stored record', async () => {
    const job = await storedJob();
    const seen: JobRecord[] = [];
    startTracker(async (record) => {
      seen.push(record);
      return { next: 'done' };
    }).track(job, 5_000);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(stepped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([job]);
  });

  it('steps again after the delay a poll outcome asks for, and stops after done', async () => {
    const job = await storedJob();
    const outcomes: TrackOutcome[] = [
      { next: 'poll', inMs: 7_000 },
      { next: 'poll', inMs: 2_000 },
      { next: 'done' },
    ];
    const t = startTracker(async () => outcomes.shift() ?? { next: 'done' });
    t.track(job);

    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(stepped).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stepped).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(stepped).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(stepped).toHaveLength(3);
    expect(t.size).toBe(0);
  });

  it('never runs two steps of one job at once: a wake-up during a slow step runs right after it', async () => {
    const job = await storedJob();
    const slow = deferred<TrackOutcome>();
    let inFlight = 0;
    let maxInFlight = 0;
    const t = startTracker(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return stepped.length === 1 ? await slow.promise : { next: 'done' };
      } finally {
        inFlight -= 1;
      }
    });
    t.track(job);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toHaveLength(1);

    t.track(job);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(stepped).toHaveLength(1);

    slow.resolve({ next: 'poll', inMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toHaveLength(2);
    expect(maxInFlight).toBe(1);
  });

  it('retries a step that throws 15 s later and keeps stepping other jobs', async () => {
    const failing = await storedJob();
    const other = await storedJob();
    let failures = 0;
    const t = startTracker(async (job) => {
      if (job.id === failing.id && failures === 0) {
        failures += 1;
        throw new Error('store outage');
      }
      return { next: 'done' };
    });
    t.track(failing);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toEqual([failing.id]);

    t.track(other, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stepped).toEqual([failing.id, other.id]);

    await vi.advanceTimersByTimeAsync(13_999);
    expect(stepped).toEqual([failing.id, other.id]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stepped).toEqual([failing.id, other.id, failing.id]);
  });

  it('skips a job whose record is gone', async () => {
    const t = startTracker(done);
    t.track(makePendingJob());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('resumes only the unfinished jobs of the given guilds, servers taken in turns, spread over the window', async () => {
    const a1 = await storedJob({ guildId: GUILD_A });
    const a2 = await storedJob({ guildId: GUILD_A });
    const b1 = await storedJob({ guildId: GUILD_B });
    await storedJob({ guildId: GUILD_C });
    const finished = await storedJob({ guildId: GUILD_A });
    await putJob(jobs, {
      ...finished,
      status: 'failed',
      taskId: null,
      failure: { key: 'job.failed.unknownTask', params: {} },
      endedAt: Date.now(),
    });
    const spreads: number[] = [];
    const t = startTracker(done, (count) => {
      spreads.push(count);
      return 10_000;
    });

    expect(await t.resume([GUILD_A, GUILD_B])).toBe(3);
    expect(spreads).toEqual([3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toEqual([a1.id]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stepped).toEqual([a1.id]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stepped).toEqual([a1.id, b1.id]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stepped).toEqual([a1.id, b1.id, a2.id]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(stepped).toHaveLength(3);
  });

  it('spreads resumed jobs by default instead of stepping them all at once', async () => {
    for (let i = 0; i < 5; i += 1) await storedJob({ guildId: GUILD_A });
    const t = startTracker(done);
    expect(await t.resume([GUILD_A])).toBe(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toHaveLength(5);
  });

  it('resumes nothing for guilds without unfinished jobs', async () => {
    await storedJob({ guildId: GUILD_C });
    const t = startTracker(done);
    expect(await t.resume([GUILD_A, GUILD_B])).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toEqual([]);
  });

  it('stop() waits for a step under way, then nothing else runs', async () => {
    const running = await storedJob();
    const waiting = await storedJob();
    const slow = deferred<TrackOutcome>();
    const t = startTracker((job) => (job.id === running.id ? slow.promise : done()));
    t.track(running);
    t.track(waiting, 1_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toEqual([running.id]);

    let stopped = false;
    const stopping = t.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);

    slow.resolve({ next: 'poll', inMs: 100 });
    await stopping;
    expect(stopped).toBe(true);

    t.track(waiting);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(stepped).toEqual([running.id]);
    expect(t.size).toBe(0);
  });

  it('stop() gives up waiting after its timeout and says how many steps were still running', async () => {
    const running = await storedJob();
    const slow = deferred<TrackOutcome>();
    const t = startTracker(() => slow.promise);
    t.track(running);
    await vi.advanceTimersByTimeAsync(0);

    let stillRunning: number | undefined;
    const stopping = t.stop(3_000).then((count) => {
      stillRunning = count;
    });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(stillRunning).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(stillRunning).toBe(1);

    slow.resolve({ next: 'poll', inMs: 100 });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(stepped).toEqual([running.id]);
  });

  it('untrack cancels a scheduled step', async () => {
    const job = await storedJob();
    const t = startTracker(done);
    t.track(job, 1_000);
    expect(t.size).toBe(1);
    t.untrack(job);
    expect(t.size).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toEqual([]);
  });

  it('untrack during a step keeps the job from being stepped again', async () => {
    const job = await storedJob();
    const slow = deferred<TrackOutcome>();
    const t = startTracker(() => slow.promise);
    t.track(job);
    await vi.advanceTimersByTimeAsync(0);
    expect(stepped).toHaveLength(1);

    t.untrack(job);
    slow.resolve({ next: 'poll', inMs: 1_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toHaveLength(1);
  });

  it('re-tracking a job replaces its timer rather than adding a second one', async () => {
    const job = await storedJob();
    const t = startTracker(done);
    t.track(job, 10_000);
    t.track(job, 2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(stepped).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stepped).toHaveLength(1);
  });
});
