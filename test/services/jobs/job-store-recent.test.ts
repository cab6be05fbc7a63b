import type { Keyv } from 'keyv';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import { JobStore, RECENT_JOBS_CAP } from '../../../src/services/jobs/job-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob } from '../../support/jobs.js';

const GUILD = '1100000000000000001';
const OTHER_GUILD = '1200000000000000001';
const ALICE = '1100000000000000003';
const BOB = '1100000000000000013';

describe('JobStore recent jobs per member', () => {
  let keyv: Keyv | undefined;
  const warnings: Array<{ msg?: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });

  function open() {
    keyv = openKeyv('sqlite://:memory:');
    return { keyv, store: new JobStore(keyv, logger) };
  }

  afterEach(async () => {
    vi.useRealTimers();
    await keyv?.disconnect();
    warnings.length = 0;
  });

  const failed = (job: JobOf<'pending'>): JobOf<'failed'> => ({
    ...job,
    status: 'failed',
    taskId: null,
    failure: { key: 'job.failed.unknownTask', params: {} },
    endedAt: job.createdAt + 1,
  });

  it("lists a member's own jobs newest first, in this guild only", async () => {
    const { store } = open();
    const first = makePendingJob({ userId: ALICE, createdAt: 1_000 });
    const second = makePendingJob({ userId: ALICE, createdAt: 2_000 });
    const bobs = makePendingJob({ userId: BOB });
    const elsewhere = makePendingJob({ userId: ALICE, guildId: OTHER_GUILD });
    for (const job of [first, bobs, second, elsewhere]) await putJob(store, job);

    expect((await store.listRecent(GUILD, ALICE, 10)).map((job) => job.id)).toEqual([second.id, first.id]);
    expect((await store.listRecent(GUILD, BOB, 10)).map((job) => job.id)).toEqual([bobs.id]);
    expect((await store.listRecent(OTHER_GUILD, ALICE, 10)).map((job) => job.id)).toEqual([elsewhere.id]);
    expect(await store.listRecent(OTHER_GUILD, BOB, 10)).toEqual([]);
  });

  it('keeps a job in its first place when it is written again, and shows its latest state', async () => {
    const { store } = open();
    const older = makePendingJob({ userId: ALICE });
    const newer = makePendingJob({ userId: ALICE });
    await putJob(store, older);
    await putJob(store, newer);
    await putJob(store, failed(older));

    const listed = await store.listRecent(GUILD, ALICE, 10);
    expect(listed.map((job) => [job.id, job.status])).toEqual([
      [newer.id, 'pending'],
      [older.id, 'failed'],
    ]);
  });

  it(`remembers the newest ${RECENT_JOBS_CAP} jobs and returns at most the limit`, async () => {
    const { store } = open();
    const jobs = Array.from({ length: RECENT_JOBS_CAP + 3 }, (_, i) =>
      makePendingJob({ userId: ALICE, createdAt: 1_000 + i }),
    );
    for (const job of jobs) await putJob(store, job);

    const newestFirst = jobs.map((job) => job.id).reverse();
    expect((await store.listRecent(GUILD, ALICE, 100)).map((job) => job.id)).toEqual(
      newestFirst.slice(0, RECENT_JOBS_CAP),
    );
    expect((await store.listRecent(GUILD, ALICE, 5)).map((job) => job.id)).toEqual(newestFirst.slice(0, 5));
    expect(await store.listRecent(GUILD, ALICE, 0)).toEqual([]);
  });

  it('adds each job once when many are written at the same time', async () => {
    const { store } = open();
    const jobs = Array.from({ length: 12 }, () => makePendingJob({ userId: ALICE }));
    await Promise.all(jobs.map((job) => putJob(store, job)));
    const listed = (await store.listRecent(GUILD, ALICE, 100)).map((job) => job.id);
    expect([...listed].sort()).toEqual(jobs.map((job) => job.id).sort());
  });

  it('skips jobs whose record is gone or unreadable, and forgets them', async () => {
    const { store, keyv } = open();
    const gone = makePendingJob({ userId: ALICE });
    const broken = makePendingJob({ userId: ALICE });
    const kept = makePendingJob({ userId: ALICE });
    for (const job of [gone, broken, kept]) await putJob(store, job);
    await keyv.delete(`job:${GUILD}:${gone.id}`);
    await keyv.set(`job:${GUILD}:${broken.id}`, { status: 'from-an-older-version', id: broken.id });

    expect((await store.listRecent(GUILD, ALICE, 10)).map((job) => job.id)).toEqual([kept.id]);
    expect(await keyv.get(`recent:${GUILD}:${ALICE}`)).toEqual([kept.id]);
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: 'stored record does not parse; retired it' }),
    );
  });

  it('survives an unreadable index by starting a new one', async () => {
    const { store, keyv } = open();
    await keyv.set(`recent:${GUILD}:${ALICE}`, 'not a list');
    expect(await store.listRecent(GUILD, ALICE, 10)).toEqual([]);
    const job = makePendingJob({ userId: ALICE });
    await putJob(store, job);
    expect((await store.listRecent(GUILD, ALICE, 10)).map((listed) => listed.id)).toEqual([job.id]);
  });

  it('lets the index expire like finished jobs, 14 days after the last job', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { store, keyv } = open();
    const job = makePendingJob({ userId: ALICE });
    await putJob(store, job);
    await putJob(store, failed(job));
    vi.setSystemTime(Date.now() + 13 * 24 * 60 * 60 * 1000);
    expect(await store.listRecent(GUILD, ALICE, 10)).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2 * 24 * 60 * 60 * 1000);
    expect(await store.listRecent(GUILD, ALICE, 10)).toEqual([]);
    expect(await keyv.get(`recent:${GUILD}:${ALICE}`)).toBeUndefined();
  });

  it('still lists the active jobs of the guild as before', async () => {
    const { store } = open();
    const running = makePendingJob({ userId: ALICE });
    const ended = makePendingJob({ userId: BOB });
    await putJob(store, running);
    await putJob(store, ended);
    await putJob(store, failed(ended));
    expect((await store.listActive(GUILD)).map((job) => job.id)).toEqual([running.id]);
    expect((await store.listRecent(GUILD, BOB, 10)).map((job) => job.status)).toEqual(['failed']);
  });
});
