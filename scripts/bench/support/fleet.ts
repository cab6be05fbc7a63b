// Many jobs in flight: Kie tasks that stay `generating` (in the Kie stand-in process) and their
// job records in the bot's store, one Kie key per server, as a restarted bot would find them.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { putJob } from '../../../test/support/jobs.js';
import type { KieChild } from './kie-remote.js';
import { snowflakeAt } from './report.js';
import type { BenchStore } from './store.js';

export interface FleetOptions {
  guilds: number;
  perGuild: number;
  /** How long ago the jobs were submitted (their place in the documented polling pace). */
  ageMs: number;
  /** Jobs carry a callback token (PUBLIC_URL set): the bot polls them only as a safety net. */
  callbacks?: boolean;
}

export interface Fleet {
  guildIds: string[];
  keys: string[];
  /** base64 ENCRYPTION_KEY the records are sealed with. */
  encryptionKey: string;
  /** JSON file: [{ guildId, id, key, taskId }] for the child processes. */
  jobsFile: string;
  count: number;
}

export const keyOfGuild = (index: number) => `kie-bench-fleet-${String(index).padStart(5, '0')}`;

/** Kie options for a stand-in that serves a fleet: tasks never finish, no image fetches, no create limit. */
export function fleetKieOptions(guilds: number) {
  return {
    keys: Object.fromEntries(Array.from({ length: guilds }, (_, g) => [keyOfGuild(g), 1_000_000_000])),
    script: { steps: [], outcome: { kind: 'never' as const } },
    fetchImages: false,
    createLimit: { max: 1_000_000, windowMs: 1000 },
  };
}

export async function seedFleet(kie: KieChild, store: BenchStore, options: FleetOptions): Promise<Fleet> {
  const { guilds, perGuild, ageMs } = options;
  const keys = Array.from({ length: guilds }, (_, g) => keyOfGuild(g));
  const taskIds = await kie.seed(keys, perGuild);
  const encryptionKey = randomBytes(32).toString('base64');
  const box = new SealedBox(Buffer.from(encryptionKey, 'base64'));
  const logger = pino({ level: 'silent' });
  const keyv = openKeyv(store.url, { namespace: store.namespace });
  const jobs = new JobStore(keyv, logger);
  const settings = new SettingsStore(keyv, box, logger);
  const now = Date.now();
  const submittedAt = now - ageMs;
  const base = now - 30 * 24 * 3600_000;
  const guildIds = keys.map((_, g) => snowflakeAt(base, g * 3 + 1));
  const list: Array<{ guildId: string; id: string; key: string; taskId: string }> = [];
  let serial = 0;
  const seedGuild = async (g: number) => {
    const guildId = guildIds[g] as string;
    const key = keys[g] as string;
    const kieKeySealed = settings.sealKieKey(guildId, key);
    for (const taskId of taskIds[g] ?? []) {
      const id = randomBytes(8).toString('hex');
      serial += 1;
      const job: JobOf<'running'> = {
        status: 'running',
        id,
        guildId,
        channelId: snowflakeAt(base, g * 3 + 2),
        userId: snowflakeAt(base + 1000, serial),
        locale: 'en-US',
        applicationId: snowflakeAt(base - 1000, 1),
        interactionId: snowflakeAt(submittedAt, serial),
        interactionTokenSealed: box.seal(`token-${id}`, `interaction-token:${id}`),
        tokenExpiresAt: submittedAt + 15 * 60_000,
        replyMessageId: snowflakeAt(submittedAt + 1, serial),
        kieKeySealed,
        model: 'sora-2-image-to-video',
        options: {
          prompt: 'benchmark',
          aspectRatio: 'landscape',
          aspectFromImage: true,
          durationSeconds: 10,
          removeWatermark: true,
          extra: {},
        },
        imageUrl: 'https://tempfile.example/bench/cat.png',
        imageUploadedAt: null,
        imageKey: null,
        endImage: null,
        attachmentSizeLimit: 10 * 1024 * 1024,
        createdAt: submittedAt,
        updatedAt: now,
        deadlineAt: submittedAt + 60 * 60_000,
        lastKieState: 'generating',
        shownState: 'generating',
        lastEditAt: submittedAt + 10_000,
        callbackToken: options.callbacks ? randomBytes(16).toString('hex') : null,
        creditsBefore: null,
        creditsAfter: null,
        creditsConsumed: null,
        parentJobId: null,
        resultUrl: null,
        fallbackFrom: null,
        extend: null,
        take: null,
        parentReply: null,
        taskId,
        submittedAt,
      };
      await putJob(jobs, job);
      list.push({ guildId, id, key, taskId });
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let g = next++; g < guilds; g = next++) await seedGuild(g);
    }),
  );
  await keyv.disconnect();
  const jobsFile = path.join(store.dataDir, 'fleet.json');
  await writeFile(jobsFile, JSON.stringify(list));
  return { guildIds, keys, encryptionKey, jobsFile, count: list.length };
}
