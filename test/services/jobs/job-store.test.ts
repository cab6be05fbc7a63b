import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Keyv } from 'keyv';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { atomicKeyv } from '../../../src/services/store/atomic-keyv.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob } from '../../support/jobs.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';

const run = promisify(execFile);
const childScript = path.resolve('test/support/store-child.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

const backends = [
  {
    name: 'SQLite',
    enabled: async () => true,
    url: async () => `sqlite://${await mkdtemp(path.join(tmpdir(), 'animate-store-'))}/s.sqlite`,
  },
  { name: 'Redis', enabled: useRedis, url: async () => REDIS_URL },
];

for (const backend of backends) {
  describe.runIf(await backend.enabled())(`JobStore on ${backend.name}`, () => {
    let keyv: Keyv | undefined;
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });

    async function open() {
      const url = await backend.url();
      const namespace = uniqueNamespace();
      keyv = openKeyv(url, { namespace });
      return { url, namespace, keyv, store: new JobStore(keyv, logger) };
    }

    afterEach(async () => {
      await keyv?.clear();
      await keyv?.disconnect();
      warnings.length = 0;
    });

    it('reads back what it wrote and lists only unfinished jobs of that guild', async () => {
      const { store } = await open();
      const a = makePendingJob();
      const b = makePendingJob();
      const other = makePendingJob({ guildId: '1200000000000000001' });
      await Promise.all([putJob(store, a), putJob(store, b), putJob(store, other)]);
      expect(await store.get(a.guildId, a.id)).toEqual(a);
      expect((await store.listActive(a.guildId)).map((job) => job.id).sort()).toEqual([a.id, b.id].sort());

      await putJob(store, {
        ...b,
        status: 'failed',
        taskId: null,
        failure: { key: 'x', params: {} },
        endedAt: 1,
      });
      expect((await store.listActive(a.guildId)).map((job) => job.id)).toEqual([a.id]);
      expect((await store.get(b.guildId, b.id))?.status).toBe('failed');
    });

    it('moves a job only from the states it names, and says what stopped it', async () => {
      const { store } = await open();
      const job = await putJob(store, {
        ...makePendingJob(),
        status: 'running',
        taskId: 't1',
        submittedAt: 1,
      });
      const cancelled = await store.transition(job, ['running'], (current) => ({
        ...current,
        status: 'cancelled',
        endedAt: 2,
      }));
      expect(cancelled.ok).toBe(true);
      const late = await store.transition(job, ['running'], (current) => ({
        ...current,
        lastKieState: 'success',
      }));
      expect(late).toMatchObject({ ok: false, current: { status: 'cancelled' } });
      expect((await store.get(job.guildId, job.id))?.status).toBe('cancelled');
    });

    it('compare-and-swap: a write computed from a stale read never lands', async () => {
      const { keyv } = await open();
      const records = atomicKeyv(keyv);
      await keyv.set('record', { v: 1 });
      const read = await records.read('record');
      await keyv.set('record', { v: 2 }); // another writer, after our read
      expect(await records.swap('record', read?.raw, { v: 3 })).toBe(false);
      expect(await keyv.get('record')).toEqual({ v: 2 });
      const fresh = await records.read('record');
      expect(await records.swap('record', fresh?.raw, { v: 3 }, 60_000)).toBe(true);
      expect(await keyv.get('record')).toEqual({ v: 3 });
      // Absent means absent: a second create of the same key does not land.
      expect(await records.swap('new', undefined, { v: 1 })).toBe(true);
      expect(await records.swap('new', undefined, { v: 9 })).toBe(false);
      expect(await keyv.get('new')).toEqual({ v: 1 });
    });

    it('of two writers racing from the same state, exactly one lands', async () => {
      const { url, namespace, store } = await open();
      const other = new JobStore(openKeyv(url, { namespace }), logger);
      const job = await putJob(store, {
        ...makePendingJob(),
        status: 'running',
        taskId: 't1',
        submittedAt: 1,
      });
      const results = await Promise.all([
        store.transition(job, 'running', (current) => ({ ...current, status: 'cancelled', endedAt: 2 })),
        other.transition(job, 'running', (current) => ({
          ...current,
          status: 'failed',
          failure: { key: 'job.failed.unknownTask', params: {} },
          endedAt: 2,
        })),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      const winner = results.find((result) => result.ok);
      expect((await store.get(job.guildId, job.id))?.status).toBe(winner?.ok ? winner.job.status : undefined);
    });

    it('refuses to write a record that breaks the schema', async () => {
      const { store } = await open();
      await expect(putJob(store, { ...makePendingJob(), guildId: 'not-a-snowflake' })).rejects.toThrow();
    });

    it('retires an unreadable record instead of crashing, and reports it', async () => {
      const { store, keyv } = await open();
      const job = makePendingJob();
      await putJob(store, job);
      await keyv.set(`job:${job.guildId}:${job.id}`, { status: 'from-an-older-version', id: job.id });
      expect(await store.listActive(job.guildId)).toEqual([]);
      expect(await store.get(job.guildId, job.id)).toBeUndefined();
      expect(await keyv.get(`retired:job:${job.guildId}:${job.id}`)).toMatchObject({
        status: 'from-an-older-version',
      });
      expect(warnings).toContainEqual(
        expect.objectContaining({ msg: 'stored record does not parse; retired it' }),
      );
    });

    it('keeps a job across a process restart, and the next process resumes it', async () => {
      const { url, namespace, store } = await open();
      const job = makePendingJob();
      await run(tsx, [childScript, url, namespace, 'write', job.guildId, JSON.stringify(job)]);
      const { stdout } = await run(tsx, [childScript, url, namespace, 'resume', job.guildId]);
      expect(JSON.parse(stdout)).toEqual([job.id]);
      expect(await store.get(job.guildId, job.id)).toMatchObject({
        status: 'submitted',
        taskId: 'task_resumed',
      });
    });
  });
}
