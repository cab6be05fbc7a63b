import { randomBytes } from 'node:crypto';
import type { JobOf } from '../../src/services/jobs/job-record.js';

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
    ...overrides,
  };
}
