import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Keyv } from 'keyv';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { type UsageEntry, UsageLog } from '../../../src/services/usage/usage-log.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';

const logger = pino({ level: 'silent' });
const GUILD = '1100000000000000001';
const NOW = Date.UTC(2026, 11, 4, 12);
const entry = (jobId: string, over: Partial<UsageEntry> = {}): UsageEntry => ({
  jobId,
  userId: '1300000000000000001',
  model: 'sora-2',
  credits: 30,
  estimated: false,
  outcome: 'delivered',
  durationSeconds: 10,
  timeToVideoMs: 60_000,
  finishedAt: NOW,
  ...over,
});

const backends = [
  {
    name: 'SQLite',
    enabled: async () => true,
    url: async () => `sqlite://${await mkdtemp(path.join(tmpdir(), 'animate-usage-'))}/s.sqlite`,
  },
  { name: 'Redis', enabled: useRedis, url: async () => REDIS_URL },
];

for (const backend of backends) {
  describe.runIf(await backend.enabled())(`UsageLog on ${backend.name}`, () => {
    const opened: Keyv[] = [];
    const open = (url: string, namespace: string) => {
      const keyv = openKeyv(url, { namespace });
      opened.push(keyv);
      return new UsageLog(keyv, logger, () => NOW);
    };

    afterEach(async () => {
      await opened.at(-1)?.clear();
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
      opened.length = 0;
    });

    it('keeps every entry two processes append to the same day, once per job, after a reopen', async () => {
      const url = await backend.url();
      const namespace = uniqueNamespace('usage');
      const a = open(url, namespace);
      const b = open(url, namespace);
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 === 0 ? a : b).record(GUILD, entry(`job${index}`, { credits: index })),
        ),
      );
      await a.record(GUILD, entry('job0', { credits: 0 }));
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
      opened.length = 0;

      const reopened = open(url, namespace);
      const read = await reopened.read(GUILD, NOW - 60_000, NOW + 60_000);
      expect(read.map((kept) => kept.jobId).sort()).toEqual(
        Array.from({ length: 12 }, (_, index) => `job${index}`).sort(),
      );
      expect(read.reduce((sum, kept) => sum + kept.credits, 0)).toBe(66);
    });

    it('reads only the days asked for, and only this server’s', async () => {
      const log = open(await backend.url(), uniqueNamespace('usage'));
      const DAY = 24 * 60 * 60_000;
      await log.record(GUILD, entry('old', { finishedAt: NOW - 10 * DAY }));
      await log.record(GUILD, entry('new'));
      await log.record('1100000000000000002', entry('other'));
      expect((await log.read(GUILD, NOW - 7 * DAY, NOW + DAY)).map((kept) => kept.jobId)).toEqual(['new']);
    });
  });
}
