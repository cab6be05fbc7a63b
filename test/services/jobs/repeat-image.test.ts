import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../../src/services/i18n/index.js';
import { sourceOfDraft } from '../../../src/services/jobs/draft-store.js';
import { type JobRecord, jobRecordSchema } from '../../../src/services/jobs/job-record.js';
import { jobSourceOf } from '../../../src/services/jobs/job-requests.js';
import type { GuildSettings } from '../../../src/services/settings/settings-store.js';
import { createSubmitWorld, GUILD, type SubmitWorld, submitted } from '../../support/in-process.js';
import { IMAGE_FETCH_FAIL } from '../../support/kie/tasks.js';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const OTHER_MEMBER = '1100000000000000013';
const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('repeats after Kie deleted its copy of the image', () => {
  let world: SubmitWorld | undefined;
  let clock = Date.now();
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function startWorld(limits: Partial<GuildSettings['limits']> = noCooldown) {
    clock = Date.now();
    world = await createSubmitWorld({ limits, deps: { now: () => clock } });
    return world;
  }

  /** The job as the store holds it now (what a button press reads). */
  async function stored(job: JobRecord): Promise<JobRecord> {
    const record = await world?.jobs.get(GUILD, job.id);
    if (!record) throw new Error(`job ${job.id} not stored`);
    return record;
  }

  it('keeps the image on disk and notes when Kie got it', async () => {
    const { submitter, request, images } = await startWorld();
    const job = submitted(await submitter.submit(request()));
    expect(job.imageUploadedAt).toBe(clock);
    expect(job.imageKey).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(await images.has(job.imageKey ?? '')).toBe(true);
    expect(await stored(job)).toMatchObject({ imageKey: job.imageKey, imageUploadedAt: clock });
  });

  it('uploads the kept image again when Kie’s copy is 21 h old, and createTask gets the new URL', async () => {
    const w = await startWorld();
    const first = submitted(await w.submitter.submit(w.request()));
    expect(w.kie.count('file-stream-upload')).toBe(1);
    clock += 21 * HOUR_MS;
    w.kie.expireUploads();

    const again = submitted(
      await w.submitter.repeat({ ...w.request(), source: jobSourceOf(await stored(first)) }),
    );
    expect(w.kie.count('file-stream-upload')).toBe(2);
    expect(again.imageUrl).not.toBe(first.imageUrl);
    expect(again).toMatchObject({ imageUploadedAt: clock, imageKey: first.imageKey, parentJobId: first.id });
    const task = w.kie.tasks.get(again.taskId);
    expect(JSON.stringify(task?.input)).toContain(again.imageUrl);
    expect(JSON.stringify(task?.input)).not.toContain(first.imageUrl);
    // Kie can fetch it, and it is the member's image, byte for byte.
    await until(() => task?.imageFetch !== undefined);
    expect(task?.imageFetch).toMatchObject({ ok: true });
    const [, reuploaded] = [...w.kie.files.values()];
    const [original] = [...w.kie.files.values()];
    expect(reuploaded?.bytes.equals(original?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it('uses Kie’s copy while it is surely there: a repeat 19 h later uploads nothing', async () => {
    const w = await startWorld();
    const first = submitted(await w.submitter.submit(w.request()));
    clock += 19 * HOUR_MS;
    const again = submitted(
      await w.submitter.repeat({ ...w.request(), source: jobSourceOf(await stored(first)) }),
    );
    expect(w.kie.count('file-stream-upload')).toBe(1);
    expect(again).toMatchObject({ imageUrl: first.imageUrl, imageUploadedAt: first.imageUploadedAt });
  });

  it('uploads again, whatever its age, when Kie said it could not fetch the image (Retry)', async () => {
    const w = await startWorld();
    const first = submitted(await w.submitter.submit(w.request()));
    const failed: JobRecord = {
      ...first,
      status: 'failed',
      failure: { key: 'job.failed.generation', params: { reason: IMAGE_FETCH_FAIL.failMsg } },
      endedAt: clock,
    };
    const retried = submitted(await w.submitter.repeat({ ...w.request(), source: jobSourceOf(failed) }));
    expect(w.kie.count('file-stream-upload')).toBe(2);
    expect(retried.imageUrl).not.toBe(first.imageUrl);
    // Any other failure reuses the upload.
    const other = {
      ...failed,
      failure: { key: 'job.failed.generation', params: { reason: 'GPU out of memory' } },
    };
    submitted(await w.submitter.repeat({ ...w.request(), source: jobSourceOf(other), prompt: 'once more' }));
    expect(w.kie.count('file-stream-upload')).toBe(2);
  });

  it('past the retention asks the member for the image again: nothing uploaded, created or spent', async () => {
    const w = await startWorld({ cooldownSeconds: 600, perMemberPerDay: 5 });
    const first = submitted(await w.submitter.submit(w.request()));
    clock += 15 * DAY_MS;
    const source = jobSourceOf(await stored(first));
    const outcome = await w.submitter.repeat({ ...w.request({ userId: OTHER_MEMBER }), source });
    expect(outcome).toMatchObject({ kind: 'refused', error: { key: 'image.expired', params: { days: 14 } } });
    expect(w.kie.count('file-stream-upload')).toBe(1);
    expect(w.kie.count('createTask')).toBe(1);
    if (outcome.kind !== 'refused') return;
    const { key, params } = outcome.error;
    expect(translate('en-US', key, params)).toMatch(
      /run `\/animate` again and attach the image.*Nothing was spent/,
    );
    expect(translate('zh-CN', key, params)).toContain('请重新运行 `/animate` 并附上图片');
    // That member's cooldown was not started: their own /animate goes ahead.
    expect((await w.submitter.submit(w.request({ userId: OTHER_MEMBER }))).kind).toBe('submitted');
  });

  it('reads records written before images were kept, and asks for the image once their upload is old', async () => {
    const w = await startWorld();
    const first = submitted(await w.submitter.submit(w.request()));
    // As an older version wrote it: no imageKey, no imageUploadedAt.
    const { imageKey: _key, imageUploadedAt: _at, ...older } = await stored(first);
    for (const [age, expected] of [
      [HOUR_MS, 'submitted'],
      [2 * DAY_MS, 'refused'],
    ] as const) {
      const read = jobRecordSchema.parse({ ...older, createdAt: clock - age });
      expect(read).toMatchObject({ imageKey: null, imageUploadedAt: null });
      const outcome = await w.submitter.repeat({
        ...w.request(),
        source: jobSourceOf(read),
        prompt: `made ${age} ms ago`,
      });
      expect(outcome.kind).toBe(expected);
    }
  });

  it('a draft awaiting Confirm keeps what is needed to upload again', async () => {
    const w = await startWorld({ ...noCooldown, confirmAboveCredits: 1 });
    const question = await w.submitter.submit(w.request());
    if (question.kind !== 'needs-confirmation') throw new Error(`expected a question, got ${question.kind}`);
    const draft = await w.drafts.take(GUILD, question.draftId);
    expect(draft).toMatchObject({ imageUploadedAt: clock, imageKey: expect.stringMatching(/\.png$/) });
    clock += 21 * HOUR_MS;
    const confirmed = submitted(
      await w.submitter.repeat({
        ...w.request(),
        source: sourceOfDraft(draft as NonNullable<typeof draft>),
        confirmedUpTo: Number.POSITIVE_INFINITY,
      }),
    );
    expect(w.kie.count('file-stream-upload')).toBe(2);
    expect(confirmed.imageUploadedAt).toBe(clock);
  });

  it('still starts the job when the image cannot be kept (a full or broken disk)', async () => {
    const w = await startWorld();
    // A file where the folder should be: nothing can be written there.
    await writeFile(w.imageDir, 'in the way');
    const job = submitted(await w.submitter.submit(w.request()));
    expect(job.imageKey).toBeNull();
    expect(w.kie.count('createTask')).toBe(1);
  });
});
