import { afterEach, describe, expect, it } from 'vitest';
import { sourceOfDraft } from '../../../src/services/jobs/draft-store.js';
import { extendSourceOf } from '../../../src/services/jobs/extend-source.js';
import { type JobOf, type JobRecord, takeJobId } from '../../../src/services/jobs/job-record.js';
import {
  jobSourceOf,
  type ReplyContext,
  replyLinkOf,
  type SubmitOutcome,
} from '../../../src/services/jobs/job-requests.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { confirmationMessage } from '../../../src/services/render/confirm-messages.js';
import type { GuildSettings } from '../../../src/services/settings/settings-store.js';
import { createSubmitWorld, GUILD, MEMBER, type SubmitWorld } from '../../support/in-process.js';
import { putJob, snowflake } from '../../support/jobs.js';
import { docLiteral } from '../models/doc-literals.js';

const registry = createModelRegistry();
const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };

function submitted(outcome: SubmitOutcome): JobOf<'submitted'> {
  if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
  return outcome.job;
}

function refusal(outcome: SubmitOutcome): string {
  if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
  return outcome.error.key;
}

let world: SubmitWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(limits: Partial<GuildSettings['limits']> = noCooldown, model?: string) {
  world = await createSubmitWorld({ limits, ...(model ? { model } : {}) });
  return world;
}

/** Who presses a button: the reply context alone, no command options. */
function pressOf(w: SubmitWorld): ReplyContext {
  const {
    attachment: _attachment,
    prompt: _prompt,
    aspectRatio: _aspect,
    durationSeconds: _duration,
    removeWatermark: _watermark,
    modelOption: _option,
    model: _model,
    takes: _takes,
    ...context
  } = w.request();
  return { ...context, replyMessageId: snowflake() };
}

/** The job once its video was delivered in its reply (what an Extend press reads). */
async function delivered(w: SubmitWorld, job: JobOf<'submitted'>): Promise<JobOf<'delivered'>> {
  const task = w.kie.tasks.get(job.taskId);
  for (let i = 0; task?.state !== 'success' && i < 100; i += 1) await new Promise((r) => setTimeout(r, 20));
  return putJob(w.jobs, {
    ...job,
    status: 'delivered',
    resultUrl: task?.resultUrls[0] ?? 'https://example.com/video.mp4',
    completedAt: null,
    deliveryStartedAt: null,
    deliveryAttempts: 0,
    deliveredAs: 'attachment',
    deliveredVia: 'interaction',
    deliveredAt: Date.now(),
    attachmentId: null,
  } as JobOf<'delivered'>);
}

describe('Extend, through the submitter', () => {
  it('sends the documented grok-imagine/extend request on the video’s task, uploads nothing, links the parent', async () => {
    const w = await startWorld(noCooldown, 'grok-imagine/image-to-video');
    const first = await delivered(w, submitted(await w.submitter.submit(w.request())));
    const press = pressOf(w);
    const extension = submitted(
      await w.submitter.repeat({ ...press, source: extendSourceOf(registry, first, '') }),
    );
    expect(w.kie.count('createTask')).toBe(2);
    expect(w.kie.count('file-stream-upload')).toBe(1);
    const task = w.kie.tasks.get(extension.taskId);
    expect(task?.model).toBe('grok-imagine/extend');
    expect(task?.input).toStrictEqual({ ...docLiteral('GROK_EXTEND'), task_id: first.taskId });
    expect(extension).toMatchObject({
      model: 'grok-imagine/image-to-video',
      parentJobId: first.id,
      extend: { taskId: first.taskId, prompt: '', addedSeconds: 6, chain: 1 },
      parentReply: replyLinkOf(first),
      // The extension is shown with the video's own prompt when none was typed.
      options: { prompt: first.options.prompt },
    });
  });

  it('asks first when the extension costs more than the server’s threshold, and extends once confirmed', async () => {
    const w = await startWorld(noCooldown, 'grok-imagine/image-to-video');
    const first = await delivered(w, await newJob(w));
    await w.settings.update(GUILD, (current) => ({
      ...current,
      limits: { ...current.limits, confirmAboveCredits: 10 },
    }));
    const asked = await w.submitter.repeat({
      ...pressOf(w),
      source: extendSourceOf(registry, first, 'the cat jumps over the moon'),
    });
    if (asked.kind !== 'needs-confirmation') throw new Error(`expected a question, got ${asked.kind}`);
    // §4: 6 s added at 480p, 2.4 credits a second.
    expect(asked.estimate).toBe(14.4);
    const before = w.kie.count('createTask');
    const draft = await w.drafts.take(GUILD, asked.draftId);
    if (!draft) throw new Error('no draft');
    const extension = submitted(
      await w.submitter.repeat({
        ...pressOf(w),
        source: sourceOfDraft(draft),
        confirmedUpTo: draft.estimate ?? 0,
      }),
    );
    expect(w.kie.count('createTask')).toBe(before + 1);
    expect(w.kie.tasks.get(extension.taskId)?.input).toMatchObject({
      task_id: first.taskId,
      prompt: 'the cat jumps over the moon',
      extend_times: '6',
    });
  });

  it('refuses past the chain’s limit and on models without a native extend, before anything is spent', async () => {
    const w = await startWorld(noCooldown, 'grok-imagine/image-to-video');
    const first = await delivered(w, submitted(await w.submitter.submit(w.request())));
    const max = registry.get(first.model)?.extend?.maxExtensions ?? 0;
    const atLimit: JobRecord = {
      ...first,
      extend: { taskId: 'task_x', prompt: '', addedSeconds: 6, chain: max },
    };
    expect(() => extendSourceOf(registry, atLimit, '')).toThrow(
      expect.objectContaining({ key: 'extend.limit', params: { max, model: 'Grok Imagine' } }),
    );
    const sora: JobRecord = { ...first, model: 'sora-2-image-to-video' };
    expect(() => extendSourceOf(registry, sora, '')).toThrow(expect.objectContaining({ key: 'extend.none' }));
    const veo1080: JobRecord = {
      ...first,
      model: 'veo-3-1',
      options: { ...first.options, extra: { resolution: '1080p' } },
    };
    expect(() => extendSourceOf(registry, veo1080, '')).toThrow(
      expect.objectContaining({ key: 'extend.notFrom' }),
    );
    expect(() => extendSourceOf(registry, { ...first, status: 'running' } as JobRecord, '')).toThrow(
      expect.objectContaining({ key: 'extend.notFinished' }),
    );
    expect(w.kie.count('createTask')).toBe(1);
  });
});

/** A job made with the world's default request, as a source. */
async function newJob(w: SubmitWorld): Promise<JobOf<'submitted'>> {
  return submitted(await w.submitter.submit(w.request()));
}

describe('several takes, through the submitter', () => {
  it('takes: 3 starts three tasks with the same input from one upload, each its own job in one group', async () => {
    const w = await startWorld();
    const outcome = await w.submitter.submit(w.request({ takes: 3 }));
    if (outcome.kind !== 'submitted') throw new Error(outcome.kind);
    expect(outcome.takes).toHaveLength(3);
    expect(w.kie.count('createTask')).toBe(3);
    expect(w.kie.count('file-stream-upload')).toBe(1);
    const group = outcome.job.take?.group ?? '';
    expect(outcome.takes?.map((take) => take.id)).toEqual([1, 2, 3].map((index) => takeJobId(group, index)));
    const tasks = (outcome.takes ?? []).map((take) => w.kie.tasks.get(take.taskId));
    expect(new Set(tasks.map((task) => JSON.stringify(task?.input))).size).toBe(1);
    for (const [position, take] of (outcome.takes ?? []).entries()) {
      expect(await w.jobs.get(GUILD, take.id)).toMatchObject({
        status: 'submitted',
        take: { group, index: position + 1, count: 3 },
        replyMessageId: outcome.job.replyMessageId,
      });
    }
  });

  it('counts every take against the member’s day: 3 of 4 used, then two more are refused whole', async () => {
    const w = await startWorld({ cooldownSeconds: 0, perMemberPerDay: 4 });
    submitted(await w.submitter.submit(w.request({ takes: 3, prompt: 'first' })));
    expect(refusal(await w.submitter.submit(w.request({ takes: 2, prompt: 'second' })))).toBe('takes.daily');
    expect(w.kie.count('createTask')).toBe(3);
    submitted(await w.submitter.submit(w.request({ prompt: 'third' })));
    expect(refusal(await w.submitter.submit(w.request({ prompt: 'fourth' })))).toBe('limits.daily');
    expect(w.kie.count('createTask')).toBe(4);
  });

  it('refuses takes the server cannot run at once, before the image is downloaded', async () => {
    const w = await startWorld({ ...noCooldown, maxRunning: 2 });
    const outcome = await w.submitter.submit(w.request({ takes: 3 }));
    if (outcome.kind !== 'refused') throw new Error(outcome.kind);
    expect(outcome.error).toMatchObject({ key: 'takes.serverBusy', params: { takes: 3, free: 2 } });
    expect(w.imageFetches()).toBe(0);
    expect(w.kie.count('createTask')).toBe(0);
    // Two fit.
    expect(submitted(await w.submitter.submit(w.request({ takes: 2 }))).take?.count).toBe(2);
  });

  it('asks about the takes’ estimate together, and starts all of them once confirmed', async () => {
    // Sora 2 at 10 s is estimated at 30 credits: three takes are 90, above 60.
    const w = await startWorld({ ...noCooldown, confirmAboveCredits: 60 });
    const asked = await w.submitter.submit(w.request({ takes: 3 }));
    if (asked.kind !== 'needs-confirmation') throw new Error(asked.kind);
    expect(asked.estimate).toBe(90);
    expect(asked.takes).toBe(3);
    expect(JSON.stringify(confirmationMessage(registry, 'en-US', asked))).toContain(
      'These 3 takes are estimated at about 90 credits together, above this server’s 60-credit threshold.',
    );
    expect(w.kie.count('createTask')).toBe(0);
    const draft = await w.drafts.take(GUILD, asked.draftId);
    if (!draft) throw new Error('no draft');
    expect(draft.takes).toBe(3);
    const outcome = await w.submitter.repeat({
      ...pressOf(w),
      source: sourceOfDraft(draft),
      confirmedUpTo: draft.estimate ?? 0,
    });
    if (outcome.kind !== 'submitted') throw new Error(outcome.kind);
    expect(outcome.takes).toHaveLength(3);
    expect(w.kie.count('createTask')).toBe(3);
  });

  it('a forged number of takes is refused by name, nothing spent', async () => {
    const w = await startWorld();
    expect(refusal(await w.submitter.submit(w.request({ takes: 5 })))).toBe('error.badOptions');
    expect(refusal(await w.submitter.submit(w.request({ takes: 0 })))).toBe('error.badOptions');
    expect(w.kie.count('createTask')).toBe(0);
  });
});

describe('Try another model, through the submitter', () => {
  it('runs the same image and prompt on the chosen model, its options mapped, linked to the first', async () => {
    const w = await startWorld();
    const first = await delivered(w, await newJob(w));
    const other = submitted(
      await w.submitter.repeat({
        ...pressOf(w),
        source: { ...jobSourceOf(first), parentReply: replyLinkOf(first) },
        model: 'bytedance/seedance-2-mini',
      }),
    );
    const task = w.kie.tasks.get(other.taskId);
    expect(task?.model).toBe('bytedance/seedance-2-mini');
    expect(task?.input).toMatchObject({
      first_frame_url: first.imageUrl,
      prompt: first.options.prompt,
      // Sora's 10 s is one of Seedance's; the shape followed the image and still does.
      duration: first.options.durationSeconds,
      aspect_ratio: 'adaptive',
    });
    expect(w.kie.count('file-stream-upload')).toBe(1);
    expect(other).toMatchObject({ parentJobId: first.id, parentReply: replyLinkOf(first), userId: MEMBER });
  });

  it('is not a double click: two models tried on one video within a minute both start', async () => {
    const w = await startWorld();
    const first = await delivered(w, await newJob(w));
    const source = { ...jobSourceOf(first), parentReply: replyLinkOf(first) };
    submitted(await w.submitter.repeat({ ...pressOf(w), source, model: 'bytedance/seedance-2-mini' }));
    submitted(await w.submitter.repeat({ ...pressOf(w), source, model: 'grok-imagine/image-to-video' }));
    expect(w.kie.count('createTask')).toBe(3);
  });
});
