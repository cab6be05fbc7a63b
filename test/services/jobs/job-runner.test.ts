import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageBody, ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import type { JobOf, JobRecord } from '../../../src/services/jobs/job-record.js';
import { createJobRunner, type JobRunner } from '../../../src/services/jobs/job-runner.js';
import type { KieClient } from '../../../src/services/kie/index.js';
import {
  createSoraTask,
  createSubmitWorld,
  GUILD,
  jobIn,
  jobStepDeps,
  KIE_KEY,
  type SubmitWorld,
} from '../../support/in-process.js';
import { putJob } from '../../support/jobs.js';

const HOUR = 60 * 60_000;

describe('the job runner', () => {
  let world: SubmitWorld | undefined;
  let scratchDir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await world?.close();
    if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
    world = undefined;
  });

  /** A runner on the world's store and Kie stand-in; replies are recorded; time is the test's. */
  async function runner(clock = { now: Date.now() }) {
    const w = await createSubmitWorld();
    world = w;
    scratchDir = await mkdtemp(path.join(tmpdir(), 'runner-test-'));
    const edits: MessageBody[] = [];
    const replies = {
      tokenUsable: () => true,
      edit: async (_target: unknown, body: MessageBody) => {
        edits.push(body);
        return 'interaction' as const;
      },
      post: async () => {
        throw new Error('no post expected');
      },
    } as unknown as ReplyEditor;
    const kie = w.deps.kie as KieClient;
    const built: JobRunner = createJobRunner({
      ...jobStepDeps(w, replies, () => clock.now),
      maxVideoBytes: 10 * 1024 * 1024,
      downloadTimeoutMs: 2_000,
      media: w.deps.media,
      scratchDir,
    });
    const jobFor = <S extends JobRecord['status']>(fields: Partial<JobRecord> & { status: S }) =>
      jobIn<S>(w, fields);
    const createTask = () => createSoraTask(w);
    return { ...built, edits, clock, kie, world: w, jobFor, createTask };
  }

  it('leaves a job alone while its createTask may still be under way (an early callback), and ends it as lost only after', async () => {
    const run = await runner();
    const pending = await putJob(run.world.jobs, run.jobFor({ status: 'pending', createdAt: run.clock.now }));
    const early = await run.step(pending);
    expect(early).toEqual({ next: 'poll', inMs: 60_000 });
    expect((await run.world.jobs.get(GUILD, pending.id))?.status).toBe('pending');
    expect(run.edits).toEqual([]);

    run.clock.now += 60_000;
    expect(await run.step(pending)).toEqual({ next: 'done' });
    expect(await run.world.jobs.get(GUILD, pending.id)).toMatchObject({
      status: 'failed',
      failure: { key: 'job.failed.lostTask' },
    });
  });

  it('writes a submitted job it was handed in memory at its next step, then tracks it as usual', async () => {
    const run = await runner();
    const pending = await putJob(run.world.jobs, run.jobFor({ status: 'pending' }));
    run.world.kie.scriptNext({ steps: [], outcome: { kind: 'never' } });
    const taskId = await run.createTask();
    run.adopt({ ...pending, status: 'submitted', taskId, submittedAt: run.clock.now } as JobOf<'submitted'>);
    const outcome = await run.step(pending);
    expect(outcome.next).toBe('poll');
    expect(await run.world.jobs.get(GUILD, pending.id)).toMatchObject({ status: 'running', taskId });
  });

  it('a Cancel that lands while Kie answers "success" wins: no progress edit, no delivery, no next step', async () => {
    const run = await runner();
    const taskId = await run.createTask();
    run.world.kie.finish(taskId, { kind: 'success' });
    const job = await putJob(
      run.world.jobs,
      run.jobFor({
        status: 'running',
        taskId,
        submittedAt: run.clock.now,
        lastKieState: 'generating',
        shownState: 'generating',
      }),
    );
    const getTask = run.kie.getTask.bind(run.kie);
    vi.spyOn(run.kie, 'getTask').mockImplementation(async (key, id) => {
      const task = await getTask(key, id);
      // The member's Cancel button, while recordInfo was on its way back.
      await run.world.jobs.transition(job, ['running'], (current) => ({
        ...current,
        status: 'cancelled',
        endedAt: run.clock.now,
      }));
      return task;
    });
    expect(await run.step(job)).toEqual({ next: 'done' });
    expect((await run.world.jobs.get(GUILD, job.id))?.status).toBe('cancelled');
    expect(run.edits).toEqual([]);
  });

  it('keeps trying to download a finished video for two hours, then fails with its link and a "Try delivery again" button', async () => {
    const run = await runner();
    // At Kie's own origin, but gone (404), and Kie's fresh link for it fails too.
    const unreachable = `${run.world.kie.url}/results/task_gone.mp4`;
    let job: JobRecord = await putJob(
      run.world.jobs,
      run.jobFor({
        status: 'delivering',
        taskId: 'task_gone',
        submittedAt: run.clock.now,
        resultUrl: unreachable,
        completedAt: run.clock.now,
        deliveryStartedAt: run.clock.now,
        deliveryAttempts: 0,
      }),
    );
    let outcome = await run.step(job);
    let attempts = 1;
    while (outcome.next === 'poll') {
      run.clock.now += outcome.inMs;
      job = (await run.world.jobs.get(GUILD, job.id)) as JobRecord;
      if (run.clock.now - (job.status === 'delivering' ? (job.deliveryStartedAt ?? 0) : 0) < HOUR)
        expect(job.status).toBe('delivering');
      outcome = await run.step(job);
      attempts += 1;
    }
    const failed = await run.world.jobs.get(GUILD, job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { key: 'job.failed.download' },
      resultUrl: unreachable,
    });
    expect(attempts).toBeGreaterThan(6);
    const last = JSON.stringify(run.edits.at(-1));
    expect(last).toContain(unreachable);
    expect(last).toContain(`redeliver:${job.id}`);
  });

  it('moves a job to the server’s new key when Kie refuses the key it started with', async () => {
    const run = await runner();
    run.world.kie.scriptNext({ steps: [], outcome: { kind: 'never' } });
    const taskId = await run.createTask();
    const job = await putJob(
      run.world.jobs,
      run.jobFor({ status: 'running', taskId, submittedAt: run.clock.now }),
    );
    // The admin replaced a revoked key with a new key of the same Kie account.
    const newKey = 'kie-new-key-of-same-account';
    run.world.kie.removeKey(KIE_KEY);
    run.world.kie.setKey(newKey, 1000);
    const task = run.world.kie.tasks.get(taskId);
    if (task) task.apiKey = newKey;
    await run.world.settings.setKieKey(GUILD, newKey, 'admin');

    expect((await run.step(job)).next).toBe('poll');
    const moved = await run.world.jobs.get(GUILD, job.id);
    expect(moved?.status).toBe('running');
    expect(run.world.settings.openSealedKieKey(GUILD, moved?.kieKeySealed ?? '')).toBe(newKey);
  });
});
