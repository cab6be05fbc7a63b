import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobOptions } from '../../../src/services/jobs/job-record.js';
import { KieClient, type KieError, type KieTask } from '../../../src/services/kie/index.js';
import { createLogger } from '../../../src/services/logger.js';
import { findUnsupportedOption } from '../../../src/services/models/options.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { makePng } from '../../support/images.js';
import { type Receiver, startReceiver } from '../../support/kie/receiver.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

const KEY = 'models-stand-in-key-4e1b';
const registry = createModelRegistry();

let kie: KieStandIn;
let host: Receiver;
let client: KieClient;
let imageUrl: string;

beforeEach(async () => {
  kie = await startKieStandIn({
    keys: { [KEY]: 10_000 },
    script: { steps: [{ state: 'generating', ms: 20 }], outcome: { kind: 'success' } },
  });
  host = await startReceiver();
  host.serve('/cat.png', makePng(300, 300), 'image/png');
  imageUrl = `${host.url}/cat.png`;
  client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 2000,
    logger: createLogger('silent'),
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
  });
});

afterEach(async () => {
  await client.close();
  await kie.close();
  await host.close();
});

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

async function pollUntilDone(taskId: string): Promise<KieTask> {
  for (let i = 0; i < 100; i += 1) {
    const task = await client.getTask(KEY, taskId);
    if (task.state === 'success' || task.state === 'fail') return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} did not finish`);
}

interface Case {
  name: string;
  model: string;
  options: Partial<JobOptions>;
  /** The documented `input` (kie-models.md), written out by hand; `IMAGE` stands for the image URL. */
  expected: Record<string, unknown>;
}

const IMAGE = Symbol('image url');
const PROMPT = 'the cat waves at the camera';

const cases: Case[] = [
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
  {
    name: 'Wan 2.6, 10 s at 720p',
    model: 'wan/2-6-image-to-video',
    options: { durationSeconds: 10, extra: { resolution: '720p' } },
    expected: { prompt: PROMPT, image_urls: [IMAGE], duration: '10', resolution: '720p', nsfw_checker: true },
  },
  {
    name: 'Wan 2.6, 15 s, default 1080p',
    model: 'wan/2-6-image-to-video',
    options: { durationSeconds: 15, aspectRatio: 'portrait' },
    expected: {
      prompt: PROMPT,
      image_urls: [IMAGE],
      duration: '15',
      resolution: '1080p',
      nsfw_checker: true,
    },
  },
  {
    name: 'Kling 2.6, 5 s with sound',
    model: 'kling-2.6/image-to-video',
    options: { durationSeconds: 5, extra: { sound: true } },
    expected: { prompt: PROMPT, image_urls: [IMAGE], sound: true, duration: '5' },
  },
  {
    name: 'Kling 2.6, 10 s, silent by default',
    model: 'kling-2.6/image-to-video',
    options: { durationSeconds: 10 },
    expected: { prompt: PROMPT, image_urls: [IMAGE], sound: false, duration: '10' },
  },
  {
    name: 'Seedance 1.5 Pro, portrait, 8 s, defaults',
    model: 'bytedance/seedance-1.5-pro',
    options: { aspectRatio: 'portrait', durationSeconds: 8 },
    expected: {
      prompt: PROMPT,
      input_urls: [IMAGE],
      aspect_ratio: '9:16',
      resolution: '720p',
      duration: 8,
      fixed_lens: false,
      generate_audio: false,
      nsfw_checker: true,
    },
  },
  {
    name: 'Seedance 1.5 Pro, landscape, 12 s at 1080p with audio and a fixed camera',
    model: 'bytedance/seedance-1.5-pro',
    options: {
      aspectRatio: 'landscape',
      durationSeconds: 12,
      extra: { resolution: '1080p', generate_audio: true, fixed_lens: true },
    },
    expected: {
      prompt: PROMPT,
      input_urls: [IMAGE],
      aspect_ratio: '16:9',
      resolution: '1080p',
      duration: 12,
      fixed_lens: true,
      generate_audio: true,
      nsfw_checker: true,
    },
  },
  {
    name: 'Hailuo 2.3 Standard, 6 s at 1080P',
    model: 'hailuo/2-3-image-to-video-standard',
    options: { durationSeconds: 6, extra: { resolution: '1080P' } },
    expected: { prompt: PROMPT, image_url: IMAGE, duration: '6', resolution: '1080P', nsfw_checker: true },
  },
  {
    name: 'Hailuo 2.3 Standard, 10 s, default 768P',
    model: 'hailuo/2-3-image-to-video-standard',
    options: { durationSeconds: 10 },
    expected: { prompt: PROMPT, image_url: IMAGE, duration: '10', resolution: '768P', nsfw_checker: true },
  },
  {
    name: 'Grok Imagine, 6 s, defaults',
    model: 'grok-imagine/image-to-video',
    options: { durationSeconds: 6 },
    expected: {
      image_urls: [IMAGE],
      prompt: PROMPT,
      mode: 'normal',
      duration: '6',
      resolution: '480p',
      nsfw_checker: true,
    },
  },
  {
    name: 'Grok Imagine, 10 s at 720p, fun',
    model: 'grok-imagine/image-to-video',
    options: { durationSeconds: 10, extra: { resolution: '720p', mode: 'fun' } },
    expected: {
      image_urls: [IMAGE],
      prompt: PROMPT,
      mode: 'fun',
      duration: '10',
      resolution: '720p',
      nsfw_checker: true,
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

describe('every registry entry against the Kie stand-in', () => {
  it('has a case for every registry entry', () => {
    expect(new Set(cases.map((c) => c.model))).toEqual(new Set(registry.list().map((entry) => entry.id)));
  });

  it.each(cases)('$name: the stand-in receives the documented input and completes the task', async (c) => {
    const entry = registry.get(c.model);
    if (!entry) throw new Error(`no entry ${c.model}`);
    const options = jobOptions(c.options);
    expect(findUnsupportedOption(entry, options)).toBeUndefined();

    const { taskId } = await client.createTask(KEY, {
      model: entry.id,
      input: entry.buildInput({ imageUrl, options }),
    });

    const received = kie.tasks.get(taskId);
    expect(received?.model).toBe(c.model);
    expect(received?.input).toStrictEqual(withImage(c.expected, imageUrl));
    expect(Object.hasOwn(received?.input ?? {}, entry.image.field)).toBe(true);
    const task = await pollUntilDone(taskId);
    expect(task.state).toBe('success');
    expect(task.resultUrls).toHaveLength(1);
    expect(received?.imageFetch).toMatchObject({ url: imageUrl, ok: true, mimeType: 'image/png' });
  });
});

describe('the stand-in refuses what Kie would', () => {
  const refusals: Array<{
    name: string;
    model: string;
    input: Record<string, unknown>;
    code: number;
    field: string;
  }> = [
    {
      name: 'Kling duration as a number',
      model: 'kling-2.6/image-to-video',
      input: { prompt: 'x', image_urls: [IMAGE], sound: false, duration: 5 },
      code: 422,
      field: 'duration',
    },
    {
      name: 'Kling without sound',
      model: 'kling-2.6/image-to-video',
      input: { prompt: 'x', image_urls: [IMAGE], duration: '5' },
      code: 500,
      field: 'sound',
    },
    {
      name: 'Kling 15 s',
      model: 'kling-2.6/image-to-video',
      input: { prompt: 'x', image_urls: [IMAGE], sound: false, duration: '15' },
      code: 422,
      field: 'duration',
    },
    {
      name: 'Seedance duration as a string',
      model: 'bytedance/seedance-1.5-pro',
      input: { prompt: 'a cat', input_urls: [IMAGE], aspect_ratio: '16:9', duration: '8' },
      code: 422,
      field: 'duration',
    },
    {
      name: 'Seedance with Sora’s aspect names',
      model: 'bytedance/seedance-1.5-pro',
      input: { prompt: 'a cat', input_urls: [IMAGE], aspect_ratio: 'portrait', duration: 8 },
      code: 422,
      field: 'aspect_ratio',
    },
    {
      name: 'Seedance without aspect_ratio',
      model: 'bytedance/seedance-1.5-pro',
      input: { prompt: 'a cat', input_urls: [IMAGE], duration: 8 },
      code: 500,
      field: 'aspect_ratio',
    },
    {
      name: 'Wan with an aspect_ratio field it does not have',
      model: 'wan/2-6-image-to-video',
      input: { prompt: 'a cat', image_urls: [IMAGE], aspect_ratio: '16:9' },
      code: 422,
      field: 'aspect_ratio',
    },
    {
      name: 'Wan resolution in capitals',
      model: 'wan/2-6-image-to-video',
      input: { prompt: 'a cat', image_urls: [IMAGE], resolution: '1080P' },
      code: 422,
      field: 'resolution',
    },
    {
      name: 'Hailuo with image_urls instead of image_url',
      model: 'hailuo/2-3-image-to-video-standard',
      input: { prompt: 'a cat', image_urls: [IMAGE] },
      code: 500,
      field: 'image_url',
    },
    {
      name: 'Hailuo 10 s at 1080P',
      model: 'hailuo/2-3-image-to-video-standard',
      input: { prompt: 'a cat', image_url: IMAGE, duration: '10', resolution: '1080P' },
      code: 422,
      field: 'duration',
    },
    {
      name: 'Grok spicy with an external image',
      model: 'grok-imagine/image-to-video',
      input: { image_urls: [IMAGE], prompt: 'a cat', mode: 'spicy' },
      code: 422,
      field: 'mode',
    },
    {
      name: 'Grok without an image or a task id',
      model: 'grok-imagine/image-to-video',
      input: { prompt: 'a cat' },
      code: 500,
      field: 'image_urls',
    },
    {
      name: 'Sora 2 Pro with an unknown size',
      model: 'sora-2-pro-image-to-video',
      input: { prompt: 'a cat', image_urls: [IMAGE], size: 'ultra' },
      code: 422,
      field: 'size',
    },
  ];

  it.each(refusals)('$name: $code naming $field, no task created', async (r) => {
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

  it('accepts Grok’s newer numeric duration as well as the older string', async () => {
    const { taskId } = await client.createTask(KEY, {
      model: 'grok-imagine/image-to-video',
      input: { image_urls: [imageUrl], prompt: 'a cat', duration: 20 },
    });
    expect(kie.tasks.get(taskId)?.input.duration).toBe(20);
  });
});
