import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BudgetLedger } from '../../../src/services/budget/budget-ledger.js';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { estimateJob } from '../../../src/services/models/extend.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { chargeOf } from '../../../src/services/usage/job-charge.js';
import { createEndedJobRecorder } from '../../../src/services/usage/record-ended-job.js';
import { UsageLog } from '../../../src/services/usage/usage-log.js';
import { makePendingJob } from '../../support/jobs.js';

const models = createModelRegistry();
const pending = makePendingJob();
const estimate = estimateJob(models.get(pending.model) ?? (models.list()[0] as never), pending.options, null);
const task = { taskId: 'task-1', submittedAt: pending.createdAt };
const ended = (job: Record<string, unknown>) => ({ ...pending, ...job }) as JobRecord;

describe('chargeOf', () => {
  it('takes what Kie charged when it said, whatever the outcome', () => {
    expect(
      chargeOf(
        ended({
          status: 'failed',
          taskId: 'x',
          failure: { key: 'k', params: {} },
          endedAt: 1,
          creditsConsumed: 0,
        }),
        models,
      ),
    ).toEqual({ credits: 0, estimated: false });
    expect(
      chargeOf(ended({ ...task, status: 'expired', endedAt: 1, creditsConsumed: 45.5 }), models),
    ).toEqual({ credits: 45.5, estimated: false });
  });

  it('counts nothing for a job Kie never made a video of, and the estimate, marked, for one it may have', () => {
    expect(
      chargeOf(
        ended({ status: 'failed', taskId: null, failure: { key: 'k', params: {} }, endedAt: 1 }),
        models,
      ),
    ).toEqual({ credits: 0, estimated: false });
    expect(chargeOf(ended({ status: 'cancelled', taskId: null, endedAt: 1 }), models)).toEqual({
      credits: 0,
      estimated: false,
    });
    expect(estimate).toBeGreaterThan(0);
    expect(chargeOf(ended({ status: 'cancelled', taskId: 'task-1', endedAt: 1 }), models)).toEqual({
      credits: estimate,
      estimated: true,
    });
    expect(chargeOf(ended({ ...task, status: 'expired', endedAt: 1 }), models)).toEqual({
      credits: estimate,
      estimated: true,
    });
  });
});

describe('a job’s end', () => {
  it('settles its hold and writes its usage entry once, through JobStore', async () => {
    const keyv = openKeyv('sqlite://:memory:');
    const logger = pino({ level: 'silent' });
    const jobs = new JobStore(keyv, logger);
    const settings = new SettingsStore(keyv, new SealedBox(Buffer.alloc(32, 7)), logger);
    const ledger = new BudgetLedger(keyv, logger, { holdMs: 60 * 60_000 });
    const usage = new UsageLog(keyv, logger);
    jobs.onEnded(createEndedJobRecorder({ settings, ledger, usage, models, logger }));
    const budget = { credits: 100, resetDay: 1 };
    await settings.update(pending.guildId, (current) => ({ ...current, budget }));
    await ledger.reserve(pending.guildId, budget, [{ jobId: pending.id, credits: 30 }]);
    await jobs.create(pending);
    await jobs.transition(pending, 'pending', (job) => ({
      ...job,
      status: 'cancelled',
      taskId: 'task-1',
      endedAt: Date.now(),
    }));
    await jobs.transition(pending, 'cancelled', (job) => ({ ...job, endedAt: Date.now() }));
    expect(await ledger.standing(pending.guildId, budget)).toMatchObject({
      spent: estimate,
      estimated: estimate,
      reserved: 0,
    });
    const entries = await usage.read(pending.guildId, 0, Date.now() + 60_000);
    expect(entries).toMatchObject([
      { jobId: pending.id, outcome: 'cancelled', credits: estimate, estimated: true },
    ]);
    await keyv.disconnect();
  });
});
