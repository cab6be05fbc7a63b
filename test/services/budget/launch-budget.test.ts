import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetLedger } from '../../../src/services/budget/budget-ledger.js';
import { estimateJob } from '../../../src/services/models/extend.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { createSubmitWorld, GUILD, type SubmitWorld, submitted } from '../../support/in-process.js';

const SORA = 'sora-2-image-to-video';
const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };

describe('the budget when a job starts', () => {
  let world: SubmitWorld | undefined;
  const keyv = openKeyv('sqlite://:memory:');
  const ledger = new BudgetLedger(keyv, pino({ level: 'silent' }), { holdMs: 60 * 60_000 });
  afterEach(async () => {
    await world?.close();
    world = undefined;
    await keyv.clear();
  });

  async function open(credits: number | null) {
    world = await createSubmitWorld({ limits: noCooldown, deps: { ledger } });
    await world.settings.update(GUILD, (current) => ({ ...current, budget: { credits, resetDay: 1 } }));
    return world;
  }
  const held = async () => (await ledger.standing(GUILD, { credits: null, resetDay: 1 })).reserved;

  it('holds the estimate of the model actually used when the default list falls back', async () => {
    const { submitter, kie, deps, request } = await open(null);
    kie.withdrawModel(SORA);
    const job = submitted(await submitter.submit(request()));
    expect(job.model).not.toBe(SORA);
    const model = deps.models.get(job.model);
    const expected = model ? estimateJob(model, job.options, null) : undefined;
    expect(expected).toBeGreaterThan(30);
    expect(await held()).toBe(expected);
  });

  it('refuses the fallback whose estimate no longer fits, with no paid task', async () => {
    const { submitter, kie } = await open(30);
    kie.withdrawModel(SORA);
    const outcome = await submitter.submit((world as SubmitWorld).request());
    expect(outcome).toMatchObject({
      kind: 'refused',
      error: { key: 'budget.exceeded', params: { budget: 30 } },
    });
    expect([...kie.tasks.values()]).toEqual([]);
    expect(await held()).toBe(0);
  });

  it('gives the hold back when Kie never took the task', async () => {
    const { submitter, kie } = await open(1000);
    kie.fault({ route: 'upload', kind: 'status', code: 402, msg: 'no credits', times: 1 });
    const refused = await submitter.submit((world as SubmitWorld).request());
    expect(refused).toMatchObject({ kind: 'refused', error: { key: 'error.kie.insufficientCredits' } });
    expect(await held()).toBe(0);
    submitted(await submitter.submit((world as SubmitWorld).request({ prompt: 'again' })));
    expect(await held()).toBe(30);
  });
});
