import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { createJobStep } from '../../../src/services/jobs/job-step.js';
import {
  createSoraTask,
  createSubmitWorld,
  GUILD,
  jobIn,
  jobStepDeps,
  type SubmitWorld,
} from '../../support/in-process.js';
import { putJob } from '../../support/jobs.js';

describe('the job step', () => {
  let world: SubmitWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('forgets the failed polls of every job that leaves polling: deadline, cancel, success, Kie’s fail, unknown task', async () => {
    const w = await createSubmitWorld();
    world = w;
    const clock = { now: Date.now() };
    const replies = {
      tokenUsable: () => true,
      edit: async () => 'interaction' as const,
      post: async () => undefined,
    } as unknown as ReplyEditor;
    const step = createJobStep(jobStepDeps(w, replies, () => clock.now));
    const running = (taskId: string, deadlineAt = clock.now + 30 * 60_000) =>
      putJob(w.jobs, jobIn(w, { status: 'running', taskId, submittedAt: clock.now, deadlineAt }));
    w.kie.setScript({ steps: [], outcome: { kind: 'never' } });
    const [succeeds, failsAtKie, cancelled, expires] = [
      await createSoraTask(w),
      await createSoraTask(w),
      await createSoraTask(w),
      await createSoraTask(w),
    ];
    const jobs = {
      succeeds: await running(succeeds),
      failsAtKie: await running(failsAtKie),
      cancelled: await running(cancelled),
      expires: await running(expires, clock.now + 60_000),
      // A task Kie no longer knows (its answer after the outage).
      unknown: await running('task_unknown_to_kie'),
    };

    // Kie's recordInfo is down: every job's polls fail, twice, and each is remembered for the backoff.
    const outage = w.kie.fault({ route: 'recordInfo', kind: 'status', code: 500 });
    for (const job of [...Object.values(jobs), ...Object.values(jobs)])
      expect((await step(job)).next).toBe('poll');
    expect(step.pollFailuresHeld()).toBe(5);

    // Cancelled by its member meanwhile: the step sees a job that is no longer active.
    const cancel = await w.jobs.transition(jobs.cancelled, ['running'], (current) => ({
      ...current,
      status: 'cancelled',
      endedAt: clock.now,
    }));
    expect(await step(cancel.ok ? cancel.job : jobs.cancelled)).toEqual({ next: 'done' });
    // Still down when the deadline passes.
    clock.now += 61_000;
    expect(await step(jobs.expires)).toMatchObject({ next: 'fail', as: 'expired' });
    expect(step.pollFailuresHeld()).toBe(3);

    outage.remove();
    w.kie.finish(succeeds, { kind: 'success' });
    w.kie.finish(failsAtKie, { kind: 'fail', failCode: '500', failMsg: 'internal error' });
    const latest = async (job: JobRecord) => (await w.jobs.get(GUILD, job.id)) as JobRecord;
    expect((await step(await latest(jobs.succeeds))).next).toBe('deliver');
    expect((await step(await latest(jobs.failsAtKie))).next).toBe('fail');
    expect(await step(await latest(jobs.unknown))).toMatchObject({
      next: 'fail',
      failure: { key: 'job.failed.unknownTask' },
    });
    expect(step.pollFailuresHeld()).toBe(0);
  });
});
