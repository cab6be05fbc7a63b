import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvRedis from '@keyv/redis';
import type { Keyv } from 'keyv';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BudgetLedger, type BudgetSettings } from '../../../src/services/budget/budget-ledger.js';
import type { BudgetWarning } from '../../../src/services/budget/budget-warning.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { SqliteStore } from '../../../src/services/store/sqlite-store.js';
import { UserFacingError } from '../../../src/services/user-facing-error.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';

const logger = pino({ level: 'silent' });
const GUILD = '1100000000000000001';
const HOUR = 60 * 60_000;
const budgetOf = (credits: number | null, resetDay = 1): BudgetSettings => ({ credits, resetDay });

const backends = [
  {
    name: 'SQLite',
    enabled: async () => true,
    url: async () => `sqlite://${await mkdtemp(path.join(tmpdir(), 'animate-budget-'))}/s.sqlite`,
  },
  { name: 'Redis', enabled: useRedis, url: async () => REDIS_URL },
];

/** Settles to the reservation, or to the budget's refusal key. */
const attempt = (promise: Promise<unknown>) =>
  promise.then(
    () => 'held',
    (error: unknown) => (error instanceof UserFacingError ? error.key : Promise.reject(error)),
  );

for (const backend of backends) {
  describe.runIf(await backend.enabled())(`BudgetLedger on ${backend.name}`, () => {
    const opened: Keyv[] = [];

    /** Two processes' views of one store (two shards): separate connections, one namespace. */
    async function open(count = 2, now?: () => number) {
      const url = await backend.url();
      const namespace = uniqueNamespace('budget');
      const keyvs = Array.from({ length: count }, () => openKeyv(url, { namespace }));
      opened.push(...keyvs);
      return keyvs.map(
        (keyv) => new BudgetLedger(keyv, logger, { holdMs: 3 * HOUR, ...(now ? { now } : {}) }),
      );
    }

    afterEach(async () => {
      vi.restoreAllMocks();
      await opened[0]?.clear();
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
      opened.length = 0;
    });

    it('lets exactly one of two members racing at the edge of the budget through, on two connections', async () => {
      const [a, b] = await open();
      if (!a || !b) throw new Error('no ledger');
      // Slow reads: both members read the ledger before either writes (the swap itself reads inside its transaction or script).
      for (const store of [SqliteStore.prototype, KeyvRedis.prototype]) {
        const read = store.get;
        vi.spyOn(store, 'get').mockImplementation(async function (this: unknown, ...args: [string]) {
          const value = await read.apply(this, args);
          await sleep(5);
          return value;
        } as typeof read);
      }
      for (let round = 0; round < 10; round += 1) {
        const guild = `11000000000000000${10 + round}`;
        const results = await Promise.all([
          attempt(a.reserve(guild, budgetOf(100), [{ jobId: `a${round}aaaaaaa`, credits: 60 }])),
          attempt(b.reserve(guild, budgetOf(100), [{ jobId: `b${round}bbbbbbb`, credits: 60 }])),
        ]);
        expect(results.sort()).toEqual(['budget.exceeded', 'held']);
        expect((await a.standing(guild, budgetOf(100))).reserved).toBe(60);
      }
    });

    it('holds no more than the budget when many jobs ask at once', async () => {
      const ledgers = await open(4);
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, index) =>
          attempt(
            (ledgers[index % ledgers.length] as BudgetLedger).reserve(GUILD, budgetOf(100), [
              { jobId: `job${index}xxxxx`, credits: 10 },
            ]),
          ),
        ),
      );
      expect(results.filter((result) => result === 'held')).toHaveLength(10);
      expect((await (ledgers[0] as BudgetLedger).standing(GUILD, budgetOf(100))).reserved).toBe(100);
    });

    it('holds every take or none, counting what was spent and what running jobs hold', async () => {
      const [ledger] = await open(1);
      if (!ledger) throw new Error('no ledger');
      await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'running1', credits: 30 }]);
      await ledger.settle({ guildId: GUILD, id: 'done0001', createdAt: Date.now() }, budgetOf(100), {
        credits: 40,
        estimated: false,
      });
      const refused = await ledger
        .reserve(GUILD, budgetOf(100), [
          { jobId: 'take0001', credits: 20 },
          { jobId: 'take0002', credits: 20 },
        ])
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UserFacingError);
      expect((refused as UserFacingError).params).toMatchObject({ estimate: 40, left: 30, budget: 100 });
      const standing = await ledger.standing(GUILD, budgetOf(100));
      expect(standing).toMatchObject({ spent: 40, reserved: 30 });
      await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'take0003', credits: 30 }]);
    });

    it('turns a hold into the real charge when the job ends, once, and gives back an unspent one', async () => {
      const [ledger] = await open(1);
      if (!ledger) throw new Error('no ledger');
      const hold = await ledger.reserve(GUILD, budgetOf(null), [
        { jobId: 'jobaaaaa', credits: 50 },
        { jobId: 'jobbbbbb', credits: 50 },
      ]);
      const job = { guildId: GUILD, id: 'jobaaaaa', createdAt: Date.now() };
      await ledger.settle(job, budgetOf(null), { credits: 35.5, estimated: false });
      await ledger.settle(job, budgetOf(null), { credits: 35.5, estimated: false });
      await hold.release('jobbbbbb');
      expect(await ledger.standing(GUILD, budgetOf(null))).toMatchObject({
        spent: 35.5,
        reserved: 0,
        estimated: 0,
      });
    });

    it('moves a hold to the estimate of the model really used, refusing one that no longer fits', async () => {
      const [ledger] = await open(1);
      if (!ledger) throw new Error('no ledger');
      const hold = await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'fallback', credits: 40 }]);
      await hold.resize('fallback', 90);
      expect((await ledger.standing(GUILD, budgetOf(100))).reserved).toBe(90);
      await expect(hold.resize('fallback', 120)).rejects.toMatchObject({ key: 'budget.exceeded' });
      expect((await ledger.standing(GUILD, budgetOf(100))).reserved).toBe(90);
    });

    it('warns once per period at 80 %, and records it', async () => {
      const [ledger] = await open(1);
      if (!ledger) throw new Error('no ledger');
      const warnings: BudgetWarning[] = [];
      ledger.onBudgetWarning((warning) => {
        warnings.push(warning);
      });
      const end = (id: string, credits: number) =>
        ledger.settle({ guildId: GUILD, id, createdAt: Date.now() }, budgetOf(100), {
          credits,
          estimated: true,
        });
      await end('first001', 70);
      expect(warnings).toHaveLength(0);
      await end('second01', 15);
      await end('third001', 10);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ guildId: GUILD, spent: 85, budget: 100, estimated: 85 });
      const standing = await ledger.standing(GUILD, budgetOf(100));
      expect(standing.warnedAt).toBe(warnings[0]?.at);
      expect(standing.spent).toBe(95);
    });

    it('lets a hold lapse once its job’s whole life is over (a crash before the job was recorded)', async () => {
      let now = Date.UTC(2026, 11, 10, 12);
      const [ledger] = await open(1, () => now);
      if (!ledger) throw new Error('no ledger');
      await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'orphan01', credits: 100 }]);
      await expect(
        ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'later001', credits: 1 }]),
      ).rejects.toMatchObject({ key: 'budget.exceeded' });
      now += 3 * HOUR + 1;
      await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'later001', credits: 1 }]);
    });

    it('starts each period from zero and names when the budget starts again', async () => {
      let now = Date.UTC(2026, 11, 31, 23, 0);
      const [ledger] = await open(1, () => now);
      if (!ledger) throw new Error('no ledger');
      await ledger.settle({ guildId: GUILD, id: 'december', createdAt: now }, budgetOf(100), {
        credits: 100,
        estimated: false,
      });
      const refused = await ledger
        .reserve(GUILD, budgetOf(100), [{ jobId: 'newyears', credits: 5 }])
        .catch((error: unknown) => error);
      expect((refused as UserFacingError).params.when).toBe(`<t:${Date.UTC(2027, 0, 1) / 1000}:f>`);
      now = Date.UTC(2027, 0, 1, 0, 30);
      await ledger.reserve(GUILD, budgetOf(100), [{ jobId: 'newyears', credits: 5 }]);
      expect(await ledger.standing(GUILD, budgetOf(100))).toMatchObject({ spent: 0, reserved: 5 });
    });
  });
}
