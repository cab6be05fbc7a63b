import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import { createSubmitWorld, GUILD, type SubmitWorld } from '../../support/in-process.js';

const SORA = 'sora-2-image-to-video';
const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('JobSubmitter', () => {
  let world: SubmitWorld | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await world?.close();
    world = undefined;
  });

  it('never drops a task Kie accepted when the store fails to record it: tracked from memory, the place stays spent', async () => {
    const unsaved: Array<JobOf<'submitted'>> = [];
    world = await createSubmitWorld({ deps: { onUnsaved: (job) => unsaved.push(job) } });
    const { jobs, submitter, kie } = world;
    // Every write after the job's creation fails, as in a store outage right after createTask.
    vi.spyOn(jobs, 'transition').mockRejectedValue(new Error('store down'));

    const outcome = await submitter.submit(world.request());
    expect(outcome.kind).toBe('submitted');
    expect(kie.count('createTask')).toBe(1);
    const taskId = [...kie.tasks.keys()][0];
    expect(unsaved.map((job) => [job.status, job.taskId])).toEqual([['submitted', taskId]]);
    // The store still says pending (never "failed" with no task id): the runner writes it later.
    const stored = outcome.kind === 'submitted' ? await jobs.get(GUILD, outcome.job.id) : undefined;
    expect(stored?.status).toBe('pending');
    // Not refunded: a second request is still in the cooldown, as after any paid job.
    vi.restoreAllMocks();
    const again = await submitter.submit(world.request({ prompt: 'another one' }));
    expect(again).toMatchObject({ kind: 'refused', error: { key: 'limits.cooldown' } });
  });

  it('checks the limits before downloading the image: a member in their cooldown costs no download and no Kie call', async () => {
    world = await createSubmitWorld();
    expect((await world.submitter.submit(world.request())).kind).toBe('submitted');
    const fetches = world.imageFetches();
    const requests = world.kie.requests.length;

    const outcome = await world.submitter.submit(world.request({ prompt: 'again, quickly' }));
    expect(outcome).toMatchObject({ kind: 'refused', error: { key: 'limits.cooldown' } });
    expect(world.imageFetches()).toBe(fetches);
    expect(world.kie.requests.length).toBe(requests);
  });

  it('keeps the cooldown spent when Kie rejects the request as invalid, so rejected requests cannot be looped for free', async () => {
    world = await createSubmitWorld({ limits: { cooldownSeconds: 60, perMemberPerDay: 5 } });
    world.kie.fault({
      route: 'createTask',
      kind: 'status',
      code: 422,
      msg: 'prompt: invalid value',
      times: 1,
    });
    const rejected = await world.submitter.submit(world.request());
    expect(rejected).toMatchObject({ kind: 'refused', error: { key: 'error.kie.validation' } });
    const next = await world.submitter.submit(world.request({ prompt: 'fixed prompt' }));
    expect(next).toMatchObject({ kind: 'refused', error: { key: 'limits.cooldown' } });
  });

  it('gives the place back when nothing reached Kie (an upload refused before createTask)', async () => {
    world = await createSubmitWorld({ limits: { cooldownSeconds: 60, perMemberPerDay: 5 } });
    world.kie.fault({ route: 'upload', kind: 'status', code: 402, msg: 'no credits', times: 1 });
    const refused = await world.submitter.submit(world.request());
    expect(refused).toMatchObject({ kind: 'refused', error: { key: 'error.kie.insufficientCredits' } });
    expect((await world.submitter.submit(world.request())).kind).toBe('submitted');
  });

  it('downloads at most maxImageDownloads images at once: the rest wait their turn, and every request goes through', async () => {
    const cap = 2;
    world = await createSubmitWorld({
      limits: noCooldown,
      holdImages: true,
      deps: { maxImageDownloads: cap },
    });
    const w = world;
    // Five members at once, each with their own image request.
    const requests = Array.from({ length: cap + 3 }, (_, index) =>
      w.request({ userId: `11000000000000001${index}0`, prompt: `the cat waves, take ${index}` }),
    );
    const outcomes = Promise.all(requests.map((request) => w.submitter.submit(request)));
    await until(() => w.openImageDownloads() >= cap);
    // Time enough for any request the cap let through to reach the image server.
    await sleep(300);
    expect(w.openImageDownloads()).toBe(cap);
    // Each answer frees a place for one waiting download, never more.
    for (let answered = 0; answered < requests.length; answered += 1) {
      await until(() => w.answerImage());
      expect(w.openImageDownloads()).toBeLessThanOrEqual(cap);
    }
    expect((await outcomes).map((outcome) => outcome.kind)).toEqual(requests.map(() => 'submitted'));
    expect(w.imageFetches()).toBe(requests.length);
    expect(w.peakImageDownloads()).toBe(cap);
  });

  describe('the default model list', () => {
    it('goes on with the next model when Kie refuses Sora 2 as unavailable: one job, one upload, one paid task, and it says why', async () => {
      world = await createSubmitWorld({ limits: noCooldown });
      world.kie.withdrawModel(SORA);
      const outcome = await world.submitter.submit(world.request());
      if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${outcome.kind}`);
      const next = world.config.DEFAULT_MODELS[1];
      expect(outcome.job.model).toBe(next);
      expect(outcome.job.fallbackFrom).toMatchObject({ model: SORA });
      expect([...world.kie.tasks.values()].map((task) => task.model)).toEqual([next]);
      expect(world.kie.count('file-stream-upload')).toBe(1);
      expect(await world.jobs.listActive(GUILD)).toHaveLength(1);

      // The next member's job goes straight to that model: no Sora call at all.
      const creates = world.kie.count('createTask');
      const second = await world.submitter.submit(world.request({ userId: '1100000000000000013' }));
      expect(second.kind === 'submitted' && second.job.model).toBe(next);
      expect(world.kie.count('createTask')).toBe(creates + 1);
    });

    it('applies the confirm threshold to the model actually used, and asks again before a dearer one', async () => {
      world = await createSubmitWorld({ limits: { ...noCooldown, confirmAboveCredits: 1 } });
      world.kie.withdrawModel(SORA);
      const next = world.config.DEFAULT_MODELS[1];
      // Nothing is known of Sora yet: the question is about Sora's price.
      const first = await world.submitter.submit(world.request());
      if (first.kind !== 'needs-confirmation') throw new Error(`expected a question, got ${first.kind}`);
      expect(first).toMatchObject({ model: SORA, why: { kind: 'cost' } });
      const draft = await world.drafts.take(GUILD, first.draftId);
      if (!draft) throw new Error('no draft');
      // Confirmed; Kie then refuses Sora: the next model costs more than was agreed, so it is asked about.
      const confirmed = await world.submitter.repeat({
        ...world.request(),
        source: { ...draft, id: null },
        confirmedUpTo: draft.estimate ?? Number.POSITIVE_INFINITY,
      });
      expect(confirmed).toMatchObject({ kind: 'needs-confirmation', model: next, why: { kind: 'cost' } });
      expect([...world.kie.tasks.values()]).toEqual([]);
      // And the next member is asked about that model straight away.
      const second = await world.submitter.submit(world.request({ userId: '1100000000000000013' }));
      expect(second).toMatchObject({ kind: 'needs-confirmation', model: next });
    });
  });

  describe('a model an admin chose', () => {
    it('is never switched silently: the member is offered another model, and nothing is spent until they accept', async () => {
      world = await createSubmitWorld({ model: SORA, limits: noCooldown });
      world.kie.withdrawModel(SORA);
      const outcome = await world.submitter.submit(world.request());
      if (outcome.kind !== 'needs-confirmation') throw new Error(`expected a question, got ${outcome.kind}`);
      expect(outcome.why).toMatchObject({ kind: 'model-unavailable', model: SORA });
      expect(outcome.model).not.toBe(SORA);
      expect(world.kie.tasks.size).toBe(0);

      const draft = await world.drafts.take(GUILD, outcome.draftId);
      if (!draft) throw new Error('no draft');
      const accepted = await world.submitter.repeat({
        ...world.request(),
        source: { id: null, model: draft.model, options: draft.options, imageUrl: draft.imageUrl },
        confirmedUpTo: draft.estimate ?? Number.POSITIVE_INFINITY,
      });
      expect(accepted.kind === 'submitted' && accepted.job.model).toBe(outcome.model);
      expect([...world.kie.tasks.values()].map((task) => task.model)).toEqual([outcome.model]);
    });

    it('once Kie said so, the next member is told before any download or upload', async () => {
      world = await createSubmitWorld({ model: SORA, limits: noCooldown });
      world.kie.withdrawModel(SORA);
      await world.submitter.submit(world.request());
      const uploads = world.kie.count('file-stream-upload');
      const creates = world.kie.count('createTask');
      const second = await world.submitter.submit(world.request({ userId: '1100000000000000013' }));
      expect(second.kind).toBe('needs-confirmation');
      expect(world.kie.count('createTask')).toBe(creates);
      // The offer re-hosts the image (free) so that accepting it is one click; Sora itself is not called.
      expect(world.kie.count('file-stream-upload')).toBe(uploads + 1);
    });
  });

  it('offers another model to a member who asks for Sora by name, and never calls Sora', async () => {
    world = await createSubmitWorld({ limits: noCooldown });
    world.kie.withdrawModel(SORA);
    await world.submitter.submit(world.request());
    const creates = world.kie.count('createTask');
    const outcome = await world.submitter.submit(world.request({ model: SORA, prompt: 'by name' }));
    expect(outcome.kind).toBe('needs-confirmation');
    expect(world.kie.count('createTask')).toBe(creates);
  });
});
