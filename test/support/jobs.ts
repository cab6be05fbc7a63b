import { randomBytes } from 'node:crypto';
import { type JobOf, type JobRecord, jobRecordSchema } from '../../src/services/jobs/job-record.js';
import type { JobStore } from '../../src/services/jobs/job-store.js';

let counter = 0;

/** A realistic Discord snowflake for "now". */
export function snowflake(at = Date.now()): string {
  counter = (counter + 1) % 4096;
  return ((BigInt(at - 1_420_070_400_000) << 22n) | BigInt(counter)).toString();
}

export function makePendingJob(overrides: Partial<JobOf<'pending'>> = {}): JobOf<'pending'> {
  const now = Date.now();
  return {
    status: 'pending',
    id: randomBytes(6).toString('hex'),
    guildId: '1100000000000000001',
    channelId: '1100000000000000002',
    userId: '1100000000000000003',
    locale: 'en-US',
    applicationId: '1100000000000000004',
    interactionId: snowflake(now),
    interactionTokenSealed: 'v1.x.y.z',
    tokenExpiresAt: now + 15 * 60_000,
    replyMessageId: null,
    kieKeySealed: 'v1.a.b.c',
    model: 'sora-2-image-to-video',
    options: {
      prompt: 'make it dance',
      aspectRatio: 'landscape',
      aspectFromImage: true,
      durationSeconds: 10,
      removeWatermark: true,
      extra: {},
    },
    imageUrl: 'http://127.0.0.1:1/cdn/cat.png',
    imageUploadedAt: null,
    imageKey: null,
    endImage: null,
    attachmentSizeLimit: 10 * 1024 * 1024,
    createdAt: now,
    updatedAt: now,
    deadlineAt: now + 30 * 60_000,
    lastKieState: null,
    shownState: null,
    lastEditAt: null,
    parentJobId: null,
    callbackToken: null,
    creditsBefore: null,
    creditsAfter: null,
    creditsConsumed: null,
    resultUrl: null,
    fallbackFrom: null,
    extend: null,
    take: null,
    parentReply: null,
    ...overrides,
  };
}

/**
 * Puts a job in the store in any state the way the bot gets it there: created `pending`, then
 * moved by one transition (so `updatedAt` is the time of the call). Returns what was stored.
 */
export async function storeJob<J extends JobRecord>(jobs: JobStore, job: J): Promise<J> {
  const pending = jobRecordSchema.parse({ ...job, status: 'pending' }) as JobOf<'pending'>;
  await jobs.create(pending);
  if (job.status === 'pending') return job;
  const moved = await jobs.transition(pending, 'pending', () => job as JobRecord);
  if (!moved.ok) throw new Error(`could not store job ${job.id}`);
  return moved.job as J;
}

/** Like {@link storeJob}, or, for a job already stored, one transition from its current state to `job`. */
export async function putJob<J extends JobRecord>(jobs: JobStore, job: J): Promise<J> {
  const current = await jobs.get(job.guildId, job.id);
  if (!current) return storeJob(jobs, job);
  const moved = await jobs.transition(job, current.status, () => job as JobRecord);
  if (!moved.ok) throw new Error(`could not store job ${job.id}`);
  return moved.job as J;
}
