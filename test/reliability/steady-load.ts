import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { vi } from 'vitest';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import { newCallbackToken } from '../../src/services/http/index.js';
import { CallbackRegistry } from '../../src/services/jobs/callback-registry.js';
import { DraftStore } from '../../src/services/jobs/draft-store.js';
import type { JobOf, JobRecord } from '../../src/services/jobs/job-record.js';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { ReceiptStore } from '../../src/services/jobs/receipts.js';
import { Guardrails } from '../../src/services/limits/guardrails.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { makePendingJob, snowflake } from '../support/jobs.js';
import { OPEN_LIMITS } from './world.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const GUILD = '1200000000000000001';
const KEY = 'kie-rel-steady-key';
/** Members the load comes from: each keeps a list of recent jobs and a day count. */
const MEMBERS = 50;

export interface LoadDay {
  day: number;
  /** The SQLite file after a checkpoint (its WAL emptied into it). */
  bytes: number;
  rows: number;
  /** Rows whose time is up but that are still in the file. */
  expiredRows: number;
}

export interface SteadyLoad {
  days: LoadDay[];
  jobs: number;
  /** Jobs that should still be readable (finished in the last 14 days, or never finished) but are not. */
  missing: string[];
}

/**
 * `days` simulated days of `jobsPerDay` jobs through the bot's own stores on one SQLite file,
 * opened as the bot opens it (its purge timer included, unless `purge` is false, which is what
 * the store did before it had one): each job holds a command note, a place under the limits
 * (dedupe mark, cooldown, day count), a callback token, one job in five a confirmation draft,
 * and its record from `pending` to `delivered`. Two jobs never finish. Time is faked (Date and
 * the purge's interval), so a month takes seconds; the store's SQL runs for real.
 */
export async function runSteadyLoad(options: {
  days: number;
  jobsPerDay: number;
  purge: boolean;
}): Promise<SteadyLoad> {
  const dir = await mkdtemp(path.join(tmpdir(), 'animate-rel-rows-'));
  const file = path.join(dir, 'animate.sqlite');
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: Date.now() });
  const keyv = openKeyv(`sqlite://${file}`, options.purge ? {} : { sqlite: { purgeIntervalMs: 0 } });
  const inspector = new Database(file);
  try {
    const logger = pino({ level: 'silent' });
    const box = new SealedBox(randomBytes(32));
    const jobs = new JobStore(keyv, logger);
    const settingsStore = new SettingsStore(keyv, box, logger);
    await settingsStore.setKieKey(GUILD, KEY, GUILD);
    await settingsStore.update(GUILD, (current) => ({
      ...current,
      limits: { ...current.limits, ...OPEN_LIMITS },
    }));
    const settings = await settingsStore.get(GUILD);
    const guardrails = new Guardrails(keyv, jobs);
    const drafts = new DraftStore(keyv, logger);
    const callbacks = new CallbackRegistry(keyv, jobs, settingsStore, logger);
    const receipts = new ReceiptStore(keyv, box, logger);
    const kept: JobRecord[] = [];
    for (let n = 0; n < 2; n += 1) kept.push(await jobs.create(makePendingJob({ guildId: GUILD })));

    const days: LoadDay[] = [];
    const finished: Array<{ id: string; at: number }> = [];
    let count = 0;
    for (let day = 1; day <= options.days; day += 1) {
      for (let n = 0; n < options.jobsPerDay; n += 1) {
        vi.advanceTimersByTime(DAY / options.jobsPerDay);
        const job = await oneJob(count, { jobs, guardrails, drafts, callbacks, receipts, box, settings });
        finished.push({ id: job.id, at: Date.now() });
        count += 1;
      }
      // Let a purge the timer started finish its batches (they yield between statements).
      await new Promise((resolve) => setImmediate(resolve));
      inspector.pragma('wal_checkpoint(TRUNCATE)');
      const now = Date.now();
      const { rows } = inspector.prepare('SELECT count(*) AS rows FROM keyv').get() as { rows: number };
      const { expired } = inspector
        .prepare('SELECT count(*) AS expired FROM keyv WHERE expires <= ?')
        .get(now) as { expired: number };
      days.push({ day, bytes: (await stat(file)).size, rows, expiredRows: expired });
    }

    const now = Date.now();
    const live = finished.filter((job) => now - job.at < 14 * DAY - MINUTE).map((job) => job.id);
    const missing: string[] = [];
    for (const id of [...live, ...kept.map((job) => job.id)])
      if (!(await jobs.get(GUILD, id))) missing.push(id);
    return { days, jobs: count, missing };
  } finally {
    inspector.close();
    await keyv.disconnect();
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Stores {
  jobs: JobStore;
  guardrails: Guardrails;
  drafts: DraftStore;
  callbacks: CallbackRegistry;
  receipts: ReceiptStore;
  box: SealedBox;
  settings: Awaited<ReturnType<SettingsStore['get']>>;
}

/** One command's writes, in the order the bot makes them, ending `delivered`. */
async function oneJob(n: number, s: Stores): Promise<JobRecord> {
  const now = Date.now();
  const userId = (1_200_000_000_000_000_100n + BigInt(n % MEMBERS)).toString();
  const interactionId = snowflake(now);
  const prompt = `job ${n}: the cat waves at the camera`;
  await s.receipts.open({
    guildId: GUILD,
    channelId: '1200000000000000002',
    userId,
    locale: 'en-US',
    applicationId: '1200000000000000004',
    interactionId,
    interactionToken: `token-${n}`,
    interactionCreatedAt: now,
    replyMessageId: null,
    memberRoleIds: [],
    attachmentSizeLimit: 10 * 1024 * 1024,
  });
  const reservation = await s.guardrails.reserve(s.settings, {
    guildId: GUILD,
    userId,
    memberRoleIds: [],
    prompt,
    imageBytes: Buffer.from(prompt),
  });
  const pending = makePendingJob({
    guildId: GUILD,
    userId,
    interactionId,
    callbackToken: newCallbackToken(),
    options: { ...makePendingJob().options, prompt },
  });
  if (n % 5 === 0)
    await s.drafts.save(
      { guildId: GUILD, userId },
      { id: null, model: pending.model, options: pending.options, imageUrl: pending.imageUrl },
      120,
    );
  await s.jobs.create(pending);
  await s.callbacks.register(pending.callbackToken ?? '', { guildId: GUILD, jobId: pending.id }, 90 * MINUTE);
  await reservation.commit();
  const taskId = `task_${n}`;
  const step = async <F extends JobRecord['status'], T extends JobRecord['status']>(
    from: F,
    change: (job: JobOf<F>) => JobOf<T>,
  ) => {
    const moved = await s.jobs.transition(pending, from, change);
    if (!moved.ok) throw new Error(`job ${pending.id} did not move from ${from}`);
  };
  await step('pending', (job) => ({ ...job, status: 'submitted', taskId, submittedAt: Date.now() }));
  await step('submitted', (job) => ({ ...job, status: 'running', lastKieState: 'generating' }));
  await step('running', (job) => ({
    ...job,
    status: 'delivering',
    resultUrl: `https://tempfile.example/${taskId}.mp4`,
    completedAt: Date.now(),
    deliveryStartedAt: Date.now(),
    deliveryAttempts: 0,
  }));
  await step('delivering', (job) => ({
    ...job,
    status: 'delivered',
    deliveredAs: 'attachment',
    deliveredVia: 'interaction',
    deliveredAt: Date.now(),
    attachmentId: null,
  }));
  await s.receipts.close(GUILD, interactionId);
  return pending;
}
