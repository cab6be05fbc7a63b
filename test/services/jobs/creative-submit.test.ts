import { afterEach, describe, expect, it } from 'vitest';
import { sourceOfDraft } from '../../../src/services/jobs/draft-store.js';
import { jobSourceOf } from '../../../src/services/jobs/job-requests.js';
import type { GuildSettings } from '../../../src/services/settings/settings-store.js';
import { makeGif, makePng } from '../../support/images.js';
import { createSubmitWorld, GUILD, type SubmitWorld, submitted } from '../../support/in-process.js';

const HOUR_MS = 60 * 60_000;
const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };
const SEEDANCE_MINI = 'bytedance/seedance-2-mini';

describe('end image, loop, sound and camera through the submitter', () => {
  let world: SubmitWorld | undefined;
  let clock = Date.now();
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function startWorld(options: { model?: string; limits?: Partial<GuildSettings['limits']> } = {}) {
    clock = Date.now();
    world = await createSubmitWorld({
      limits: options.limits ?? noCooldown,
      ...(options.model ? { model: options.model } : {}),
      deps: { now: () => clock },
    });
    return world;
  }

  /** The member's second image, 36×64 (the first is 64×36), served by the world's image server. */
  function endAttachment(w: SubmitWorld, bytes = makePng(36, 64), type = 'image/png') {
    return {
      url: w.serveImage('/end.png', bytes, type),
      contentType: type,
      size: bytes.length,
      width: 36,
      height: 64,
    };
  }

  /** What Kie holds at an upload's URL. */
  function uploaded(w: SubmitWorld, url: unknown): Buffer | undefined {
    return [...w.kie.files.values()].find((file) => typeof url === 'string' && url.endsWith(file.filePath))
      ?.bytes;
  }

  it('uploads the end image like the first and sends it in Seedance 2’s last_frame_url, kept on the record', async () => {
    const w = await startWorld({ model: SEEDANCE_MINI });
    const end = endAttachment(w);
    const job = submitted(await w.submitter.submit(w.request({ endAttachment: end })));

    expect(w.kie.count('file-stream-upload')).toBe(2);
    const input = w.kie.tasks.get(job.taskId)?.input ?? {};
    expect(input.first_frame_url).toBe(job.imageUrl);
    expect(input.last_frame_url).toBe(job.endImage?.url);
    expect(input.last_frame_url).not.toBe(input.first_frame_url);
    expect(uploaded(w, input.last_frame_url)?.equals(makePng(36, 64))).toBe(true);
    expect(uploaded(w, input.first_frame_url)?.equals(makePng(64, 36))).toBe(true);
    expect(job.options.endFrame).toBe('image');
    expect(job.endImage).toMatchObject({
      uploadedAt: clock,
      key: expect.stringMatching(/^[0-9a-f]{64}\.png$/),
    });
    expect(await w.images.has(job.endImage?.key ?? '')).toBe(true);
    expect(await w.jobs.get(GUILD, job.id)).toMatchObject({ endImage: job.endImage });
  });

  it('sends a loop as the first image again, with one upload', async () => {
    const w = await startWorld({ model: 'wan/3-0-video' });
    const job = submitted(await w.submitter.submit(w.request({ loop: true })));
    expect(w.kie.count('file-stream-upload')).toBe(1);
    const input = w.kie.tasks.get(job.taskId)?.input ?? {};
    expect(input).toMatchObject({ first_frame_url: job.imageUrl, last_frame_url: job.imageUrl });
    expect(job).toMatchObject({ options: { endFrame: 'loop' }, endImage: null });
  });

  it.each([
    ['an end image', { endAttachment: true }, 'end_image'],
    ['a loop', { loop: true }, 'loop'],
  ] as const)(
    'refuses %s on a model without a last frame by name: no download, no upload, no task',
    async (_what, asked, option) => {
      const w = await startWorld({ model: 'kling-2.6/image-to-video' });
      const outcome = await w.submitter.submit(
        w.request({ ...('endAttachment' in asked ? { endAttachment: endAttachment(w) } : { loop: true }) }),
      );
      expect(outcome).toMatchObject({
        kind: 'refused',
        error: {
          key: 'models.endFrame.unsupported',
          params: { model: 'Kling 2.6', option, models: expect.stringContaining('Seedance 2 Mini') },
        },
      });
      expect(w.imageFetches()).toBe(0);
      expect(w.kie.requests).toHaveLength(0);
    },
  );

  it('refuses an end image and a loop together before anything is fetched', async () => {
    const w = await startWorld({ model: SEEDANCE_MINI });
    const outcome = await w.submitter.submit(w.request({ endAttachment: endAttachment(w), loop: true }));
    expect(outcome).toMatchObject({ kind: 'refused', error: { key: 'models.endFrame.both' } });
    expect(w.imageFetches()).toBe(0);
    expect(w.kie.requests).toHaveLength(0);
  });

  it('checks the end image like the first: a GIF, claimed or disguised, is refused before any upload', async () => {
    const w = await startWorld({ model: SEEDANCE_MINI });
    const claimed = await w.submitter.submit(
      w.request({ endAttachment: endAttachment(w, makeGif(), 'image/gif') }),
    );
    expect(claimed).toMatchObject({
      kind: 'refused',
      error: { key: 'error.imageType', params: { type: 'image/gif' } },
    });
    expect(w.imageFetches()).toBe(0);
    const disguised = { ...endAttachment(w, makeGif(), 'image/gif'), contentType: 'image/png' };
    const lied = await w.submitter.submit(w.request({ endAttachment: disguised }));
    expect(lied).toMatchObject({ kind: 'refused', error: { key: 'error.imageTypeLies' } });
    expect(w.kie.requests).toHaveLength(0);
  });

  it('skips the default models without a last frame: Sora 2 is passed over for Seedance 2 Mini', async () => {
    const w = await startWorld();
    const job = submitted(await w.submitter.submit(w.request({ loop: true })));
    expect(job.model).toBe(SEEDANCE_MINI);
    expect(w.kie.tasks.get(job.taskId)?.model).toBe(SEEDANCE_MINI);
    expect(w.kie.count('createTask')).toBe(1);
  });

  it('repeats the end image with Again, uploading both images again once Kie’s copies may be gone', async () => {
    const w = await startWorld({ model: SEEDANCE_MINI });
    const first = submitted(await w.submitter.submit(w.request({ endAttachment: endAttachment(w) })));
    clock += 21 * HOUR_MS;
    w.kie.expireUploads();
    const stored = await w.jobs.get(GUILD, first.id);
    if (!stored) throw new Error('not stored');
    const again = submitted(await w.submitter.repeat({ ...w.request(), source: jobSourceOf(stored) }));

    expect(w.kie.count('file-stream-upload')).toBe(4);
    const input = w.kie.tasks.get(again.taskId)?.input ?? {};
    expect(input.last_frame_url).toBe(again.endImage?.url);
    expect(again.endImage?.url).not.toBe(first.endImage?.url);
    expect(again.endImage).toMatchObject({ uploadedAt: clock, key: first.endImage?.key });
    expect(uploaded(w, input.last_frame_url)?.equals(makePng(36, 64))).toBe(true);
  });

  it('keeps the end image through a confirmation: the draft carries it to the task', async () => {
    const w = await startWorld({
      model: 'bytedance/seedance-2',
      limits: { ...noCooldown, confirmAboveCredits: 100 },
    });
    const asked = await w.submitter.submit(w.request({ endAttachment: endAttachment(w) }));
    if (asked.kind !== 'needs-confirmation') throw new Error(`expected a question, got ${asked.kind}`);
    expect(w.kie.count('createTask')).toBe(0);
    const draft = await w.drafts.take(GUILD, asked.draftId);
    if (!draft) throw new Error('no draft');
    const job = submitted(
      await w.submitter.repeat({
        ...w.request(),
        source: sourceOfDraft(draft),
        confirmedUpTo: asked.estimate ?? 0,
      }),
    );
    expect(w.kie.count('file-stream-upload')).toBe(2);
    expect(w.kie.tasks.get(job.taskId)?.input).toMatchObject({
      first_frame_url: draft.imageUrl,
      last_frame_url: draft.endImage?.url,
    });
  });

  it('prices sound before anything is spent: Kling 2.6 with sound is asked about above 100 credits, silent is not', async () => {
    const w = await startWorld({
      model: 'kling-2.6/image-to-video',
      limits: { ...noCooldown, confirmAboveCredits: 100 },
    });
    const loud = await w.submitter.submit(w.request({ sound: true }));
    expect(loud).toMatchObject({ kind: 'needs-confirmation', estimate: 110, why: { kind: 'cost' } });
    expect(w.kie.count('createTask')).toBe(0);
    const quiet = submitted(await w.submitter.submit(w.request({ sound: false, prompt: 'quietly' })));
    expect(w.kie.tasks.get(quiet.taskId)?.input).toMatchObject({ sound: false });
  });

  it('sends sound in the model’s own field (Seedance 1.5’s generate_audio) and the camera lock in fixed_lens', async () => {
    const w = await startWorld({ model: 'bytedance/seedance-1.5-pro' });
    const job = submitted(await w.submitter.submit(w.request({ sound: true, camera: 'fixed' })));
    expect(w.kie.tasks.get(job.taskId)?.input).toMatchObject({ generate_audio: true, fixed_lens: true });
  });

  it('refuses sound on a model without it by name, with 0 Kie calls', async () => {
    const w = await startWorld({ model: 'runway' });
    const outcome = await w.submitter.submit(w.request({ sound: true }));
    expect(outcome).toMatchObject({
      kind: 'refused',
      error: { key: 'models.named.unsupported', params: { model: 'Runway', option: 'sound' } },
    });
    expect(w.kie.requests).toHaveLength(0);
  });
});
