import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobOptions } from '../../../src/services/jobs/job-record.js';
import type { KieClient, KieError, KieTask } from '../../../src/services/kie/index.js';
import { buildTaskInput } from '../../../src/services/models/end-frame.js';
import { findUnsupportedOption } from '../../../src/services/models/options.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { makePng } from '../../support/images.js';
import type { Receiver } from '../../support/kie/receiver.js';
import type { KieStandIn } from '../../support/kie/stand-in.js';
import { DOC_CASES, expectedInput, OUR_IMAGE, OUR_PROMPT } from './doc-cases.js';
import { END_FRAME_CASES } from './end-frame-cases.js';
import { finishedTask, startModelsStandIn, stopModelsStandIn } from './models-stand-in.js';
import { REFUSALS } from './stand-in-refusals.js';

const KEY = 'models-stand-in-key-4e1b';
const registry = createModelRegistry();

let kie: KieStandIn;
let host: Receiver;
let client: KieClient;
let imageUrl: string;

beforeEach(async () => {
  ({ kie, host, client, imageUrl } = await startModelsStandIn({ [KEY]: 10_000 }));
});

afterEach(() => stopModelsStandIn({ kie, host, client }));

function jobOptions(overrides: Partial<JobOptions> = {}): JobOptions {
  return {
    prompt: 'the cat waves at the camera',
    aspectRatio: 'landscape',
    aspectFromImage: false,
    durationSeconds: 10,
    removeWatermark: true,
    extra: {},
    ...overrides,
  };
}

const pollUntilDone = (taskId: string): Promise<KieTask> => finishedTask(client, KEY, taskId);

interface Case {
  name: string;
  model: string;
  options: Partial<JobOptions>;
  /** The documented `input`, written out by hand; `IMAGE` stands for the image URL. */
  expected: Record<string, unknown>;
}

const IMAGE = OUR_IMAGE;
const PROMPT = OUR_PROMPT;

/**
 * Sora 2 (withdrawn, so kie-models-2026-09.md has no example): its input from
 * kie-sora2-image-to-video.md and kie-models.md §1. Every other entry is a `DOC_CASES` case.
 */
const soraCases: Case[] = [
  {
    name: 'Sora 2, portrait, 15 s, watermark kept',
    model: 'sora-2-image-to-video',
    options: { aspectRatio: 'portrait', durationSeconds: 15, removeWatermark: false },
    expected: {
      prompt: PROMPT,
      image_urls: [IMAGE],
      aspect_ratio: 'portrait',
      n_frames: '15',
      remove_watermark: false,
    },
  },
  {
    name: 'Sora 2 Pro, landscape, 10 s, high size',
    model: 'sora-2-pro-image-to-video',
    options: { durationSeconds: 10, extra: { size: 'high' } },
    expected: {
      prompt: PROMPT,
      image_urls: [IMAGE],
      aspect_ratio: 'landscape',
      n_frames: '10',
      remove_watermark: true,
      size: 'high',
      upload_method: 's3',
    },
  },
  {
    name: 'Sora 2 Pro with no extra: size standard',
    model: 'sora-2-pro-image-to-video',
    options: { durationSeconds: 15, aspectRatio: 'portrait' },
    expected: {
      prompt: PROMPT,
      image_urls: [IMAGE],
      aspect_ratio: 'portrait',
      n_frames: '15',
      remove_watermark: true,
      size: 'standard',
      upload_method: 's3',
    },
  },
];

function withImage(expected: Record<string, unknown>, url: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(expected).map(([field, value]) => [
      field,
      value === IMAGE ? url : Array.isArray(value) ? value.map((v) => (v === IMAGE ? url : v)) : value,
    ]),
  );
}

/** Sends the entry's input through the real client, checks what the stand-in got, runs the task. */
async function submitAndCheck(model: string, options: JobOptions, expected: () => Record<string, unknown>) {
  const entry = registry.get(model);
  if (!entry) throw new Error(`no entry ${model}`);
  expect(findUnsupportedOption(entry, options)).toBeUndefined();

  const { taskId } = await client.createTask(KEY, {
    model: entry.id,
    input: entry.buildInput({ imageUrl, options }),
  });

  const received = kie.tasks.get(taskId);
  expect(received?.model).toBe(model);
  expect(received?.input).toStrictEqual(expected());
  expect(Object.hasOwn(received?.input ?? {}, entry.image.field)).toBe(true);
  const task = await pollUntilDone(taskId);
  expect(task.state).toBe('success');
  expect(task.resultUrls).toHaveLength(1);
  expect(received?.imageFetch).toMatchObject({ url: imageUrl, ok: true, mimeType: 'image/png' });
}

describe('every registry entry against the Kie stand-in', () => {
  it('has a case for every registry entry', () => {
    const covered = [...soraCases, ...DOC_CASES].map((c) => c.model);
    expect(new Set(covered)).toEqual(new Set(registry.list().map((entry) => entry.id)));
  });

  it.each(soraCases)('$name: the stand-in receives the documented input and completes the task', (c) =>
    submitAndCheck(c.model, jobOptions(c.options), () => withImage(c.expected, imageUrl)),
  );

  it.each(DOC_CASES)('$name: the stand-in receives the doc’s literal and completes the task', (c) =>
    submitAndCheck(c.model, jobOptions(c.options), () => expectedInput(c, imageUrl)),
  );
});

describe('last frames against the Kie stand-in', () => {
  it.each(END_FRAME_CASES)('$name: sent in the doc’s field, accepted, and both frames fetched', async (c) => {
    host.serve('/last.png', makePng(320, 180), 'image/png');
    const lastUrl = `${host.url}/last.png`;
    const entry = registry.get(c.model);
    if (!entry) throw new Error(`no entry ${c.model}`);
    const options = jobOptions(c.options);
    const { taskId } = await client.createTask(KEY, {
      model: entry.id,
      input: buildTaskInput(entry, { imageUrl, endImage: { url: lastUrl }, options }),
    });
    const loop = c.options.endFrame === 'loop';
    expect(kie.tasks.get(taskId)?.input).toStrictEqual(expectedInput(c, imageUrl, loop ? imageUrl : lastUrl));
    expect((await pollUntilDone(taskId)).state).toBe('success');
    // The stand-in fetches the frames in order, as Kie would: the end is fetched last.
    const end = loop ? imageUrl : lastUrl;
    for (let i = 0; i < 100 && kie.tasks.get(taskId)?.imageFetch?.url !== end; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(kie.tasks.get(taskId)?.imageFetch).toMatchObject({ url: end, ok: true, mimeType: 'image/png' });
  });
});

describe('the stand-in refuses what Kie would', () => {
  it.each(REFUSALS)('$name: $code naming $field, no task created', async (r) => {
    const error = await client.createTask(KEY, { model: r.model, input: withImage(r.input, imageUrl) }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ name: 'KieError', kind: 'validation' });
    expect(error).toMatchObject({ code: r.code });
    expect((error as KieError).detail).toMatch(new RegExp(`^${r.field}\\b`));
    if (r.code === 500) expect((error as KieError).detail).toContain('This field is required');
    expect(kie.tasks.size).toBe(0);
  });

  it.each([
    [
      'Grok’s numeric duration (one schema’s reading)',
      'grok-imagine/image-to-video',
      { image_urls: [IMAGE], prompt: 'a cat', duration: 20 },
    ],
    [
      'Runway’s numeric duration (its schema’s reading)',
      'runway',
      { prompt: 'a cat', image_url: IMAGE, duration: 5, quality: '720p' },
    ],
    [
      'a MiniMax H3 last frame alone',
      'minimax-h3/image-to-video',
      { prompt: 'a cat', last_frame_url: IMAGE, duration: 6 },
    ],
    [
      'Seedance 2 Fast’s trailing-space reference key',
      'bytedance/seedance-2-fast',
      { prompt: 'a cat', 'reference_video_urls ': [IMAGE] },
    ],
  ] as const)('accepts %s', async (_name, model, input) => {
    const { taskId } = await client.createTask(KEY, { model, input: withImage(input, imageUrl) });
    expect(kie.tasks.get(taskId)?.input).toStrictEqual(withImage(input, imageUrl));
  });
});
