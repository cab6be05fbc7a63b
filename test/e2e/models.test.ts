import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../src/services/models/registry.js';
import { seedGuildKey } from '../support/bot-process.js';
import { makePng } from '../support/images.js';
import { createWorld, KIE_KEY, type World } from './harness.js';

type Rest = World['discord']['log'][number];
type Interaction = ReturnType<World['animate']>;
type Option = { name: string; type: number; value: unknown };

const FAST = { steps: [], outcome: { kind: 'success' as const } };
const PROMPT = 'the cat waves at the camera';
/** A Kie upload link, as the stand-in hands it out. */
const URL = expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//);
const registry = createModelRegistry();

const isEditOf = (interaction: { token: string }) => (e: Rest) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
const callbackOf = (interaction: { id: string; token: string }) => (e: Rest) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const contentOf = (e: Rest) => (e.json as { content?: string }).content ?? '';

/** 320×256: landscape, and above Wan 2.6's 256 px minimum side. */
const IMAGE = { name: 'cat.png', type: 'image/png', bytes: makePng(320, 256), width: 320, height: 256 };

const str = (name: string, value: string): Option => ({ name, type: 3, value });
const int = (name: string, value: number): Option => ({ name, type: 4, value });
const bool = (name: string, value: boolean): Option => ({ name, type: 5, value });

interface Case {
  model: string;
  options: Option[];
  /** The createTask `input`, written out from ../shared/docs/kie-models.md (names, types, enums). */
  input: Record<string, unknown>;
  /** What the status embed shows as the estimate (documented price table). */
  credits: number;
}

const KLING_3_ONE_SHOT = {
  prompt: PROMPT,
  image_urls: [URL],
  sound: false,
  duration: '5',
  aspect_ratio: '16:9',
  mode: 'pro',
  multi_shots: false,
  multi_prompt: [],
  kling_elements: [],
};

/** §3.1: first_frame_url a string; a shape left to the image is `adaptive`; sound on (free). */
const SEEDANCE_2_DEFAULTS = {
  prompt: PROMPT,
  first_frame_url: URL,
  generate_audio: true,
  resolution: '720p',
  aspect_ratio: 'adaptive',
  duration: 5,
  nsfw_checker: true,
};

/** kie-models-2026-09.md §3: the September models with their defaults; the image is landscape. */
const SEPTEMBER_DEFAULT_CASES: Case[] = [
  {
    model: 'bytedance/seedance-2-mini',
    options: [],
    input: SEEDANCE_2_DEFAULTS,
    credits: 41,
  },
  {
    model: 'bytedance/seedance-2-fast',
    options: [],
    input: { ...SEEDANCE_2_DEFAULTS, return_last_frame: false },
    credits: 124,
  },
  {
    model: 'bytedance/seedance-2',
    options: [],
    input: { ...SEEDANCE_2_DEFAULTS, return_last_frame: false, web_search: false },
    credits: 205,
  },
  // §3.3: duration a string; multi_shots, multi_prompt and kling_elements required for one shot.
  { model: 'kling-3.0/video', options: [], input: KLING_3_ONE_SHOT, credits: 90 },
  {
    // §3.5: resolution with a capital P, default 1080P; audio on (free).
    model: 'wan/3-0-video',
    options: [],
    input: {
      prompt: PROMPT,
      first_frame_url: URL,
      resolution: '1080P',
      aspect_ratio: 'adaptive',
      duration: 5,
      audio: true,
    },
    credits: 160,
  },
  {
    // §3.7: one image with the frames type; `Auto` follows the image; priced at the dearest tier.
    model: 'veo-3-1',
    options: [],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      generation_type: 'FIRST_AND_LAST_FRAMES_2_VIDEO',
      aspect_ratio: 'Auto',
      duration: 8,
      resolution: '720p',
      enable_translation: true,
    },
    credits: 250,
  },
  {
    // §3.8: image_url a string; duration a string; the image's shape.
    model: 'runway',
    options: [],
    input: { prompt: PROMPT, image_url: URL, duration: '5', quality: '720p', aspect_ratio: '16:9' },
    credits: 12,
  },
  {
    // §3.10: first_frame_url; duration an integer; 2K (the default) sent; +4 for the image.
    model: 'minimax-h3/image-to-video',
    options: [],
    input: { prompt: PROMPT, first_frame_url: URL, duration: 6, resolution: '2K' },
    credits: 82,
  },
];

/** Every registry entry with no options but the model: the entry's documented defaults. */
const DEFAULT_CASES: Case[] = [
  {
    // §1a: n_frames is a string enum; aspect_ratio portrait|landscape.
    model: 'sora-2-image-to-video',
    options: [],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      aspect_ratio: 'landscape',
      n_frames: '10',
      remove_watermark: true,
    },
    credits: 30,
  },
  {
    // §1b: plus size; upload_method marked required in the newer export.
    model: 'sora-2-pro-image-to-video',
    options: [],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      aspect_ratio: 'landscape',
      n_frames: '10',
      remove_watermark: true,
      size: 'standard',
      upload_method: 's3',
    },
    credits: 90,
  },
  {
    // §4a (and 2026-09 §3.6): no aspect field; duration a string enum; resolution default 1080p.
    model: 'wan/2-6-image-to-video',
    options: [],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      duration: '5',
      resolution: '1080p',
      multi_shots: false,
      nsfw_checker: true,
    },
    credits: 104.5,
  },
  {
    // §2a: sound (boolean) and duration (string) required; no aspect field.
    model: 'kling-2.6/image-to-video',
    options: [],
    input: { prompt: PROMPT, image_urls: [URL], sound: false, duration: '5' },
    credits: 55,
  },
  {
    // §3a: input_urls; aspect_ratio as a ratio; duration a number.
    model: 'bytedance/seedance-1.5-pro',
    options: [],
    input: {
      prompt: PROMPT,
      input_urls: [URL],
      aspect_ratio: '16:9',
      resolution: '720p',
      duration: 8,
      fixed_lens: false,
      generate_audio: false,
      nsfw_checker: true,
    },
    credits: 28,
  },
  {
    // §6a: image_url is one string; resolution with a capital P.
    model: 'hailuo/2-3-image-to-video-standard',
    options: [],
    input: { prompt: PROMPT, image_url: URL, duration: '6', resolution: '768P', nsfw_checker: true },
    credits: 30,
  },
  {
    // 2026-09 §3.11: duration a string (6–30); mode normal (spicy is refused with external images).
    model: 'grok-imagine/image-to-video',
    options: [],
    input: {
      image_urls: [URL],
      prompt: PROMPT,
      mode: 'normal',
      duration: '6',
      resolution: '480p',
      nsfw_checker: true,
    },
    // 2.4 per second since September.
    credits: 14.4,
  },
  ...SEPTEMBER_DEFAULT_CASES,
];

/** The member's choices mapped onto each model's own fields. */
const CHOSEN_CASES: Case[] = [
  {
    model: 'sora-2-pro-image-to-video',
    options: [
      str('aspect_ratio', 'portrait'),
      int('duration', 15),
      bool('remove_watermark', false),
      str('model_option', 'size=high'),
    ],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      aspect_ratio: 'portrait',
      n_frames: '15',
      remove_watermark: false,
      size: 'high',
      upload_method: 's3',
    },
    credits: 400,
  },
  {
    model: 'wan/2-6-image-to-video',
    options: [int('duration', 15), str('model_option', 'resolution=720p')],
    input: {
      prompt: PROMPT,
      image_urls: [URL],
      duration: '15',
      resolution: '720p',
      multi_shots: false,
      nsfw_checker: true,
    },
    credits: 210,
  },
  {
    model: 'kling-2.6/image-to-video',
    options: [int('duration', 10), str('model_option', 'sound=true')],
    input: { prompt: PROMPT, image_urls: [URL], sound: true, duration: '10' },
    credits: 220,
  },
  {
    // Portrait maps to 9:16 where the model takes a ratio.
    model: 'bytedance/seedance-1.5-pro',
    options: [
      str('aspect_ratio', 'portrait'),
      int('duration', 12),
      str('model_option', 'generate_audio=true'),
    ],
    input: {
      prompt: PROMPT,
      input_urls: [URL],
      aspect_ratio: '9:16',
      resolution: '720p',
      duration: 12,
      fixed_lens: false,
      generate_audio: true,
      nsfw_checker: true,
    },
    credits: 84,
  },
  {
    model: 'hailuo/2-3-image-to-video-standard',
    options: [int('duration', 6), str('model_option', 'resolution=1080P')],
    input: { prompt: PROMPT, image_url: URL, duration: '6', resolution: '1080P', nsfw_checker: true },
    credits: 50,
  },
  {
    model: 'grok-imagine/image-to-video',
    options: [int('duration', 10), str('model_option', 'mode=fun')],
    input: {
      image_urls: [URL],
      prompt: PROMPT,
      mode: 'fun',
      duration: '10',
      resolution: '480p',
      nsfw_checker: true,
    },
    credits: 24,
  },
  {
    // Portrait chosen: 9:16 instead of adaptive.
    model: 'bytedance/seedance-2-mini',
    options: [str('aspect_ratio', 'portrait'), int('duration', 15), str('model_option', 'resolution=480p')],
    input: { ...SEEDANCE_2_DEFAULTS, resolution: '480p', aspect_ratio: '9:16', duration: 15 },
    credits: 57,
  },
  {
    model: 'kling-3.0/video',
    options: [int('duration', 10), str('model_option', 'mode=std')],
    input: { ...KLING_3_ONE_SHOT, duration: '10', mode: 'std' },
    credits: 140,
  },
  {
    model: 'wan/3-0-video',
    options: [int('duration', 30), str('model_option', 'resolution=720P')],
    input: {
      prompt: PROMPT,
      first_frame_url: URL,
      resolution: '720P',
      aspect_ratio: 'adaptive',
      duration: 30,
      audio: true,
    },
    credits: 480,
  },
];

/** A world whose server has no cooldown and room for many jobs, so members can run them at once. */
async function openWorld(): Promise<World> {
  const world = await createWorld('sqlite', { script: FAST });
  await seedGuildKey(world.env, world.guildId, KIE_KEY, {
    cooldownSeconds: 0,
    perMemberPerDay: null,
    maxRunning: 20,
  });
  await world.startBot();
  return world;
}

/** A distinct member per job (snowflake-shaped ids). */
const member = (n: number) => ({ id: String(200_000_000_000_000_000n + BigInt(n)) });

function animateAs(world: World, n: number, options: Option[]): Interaction {
  const attachment = world.discord.seedAttachment(IMAGE.name, IMAGE.type, IMAGE.bytes, {
    width: IMAGE.width,
    height: IMAGE.height,
  });
  return world.discord.sendSlashCommand({
    name: 'animate',
    user: member(n),
    options: [
      { name: 'image', type: 11, value: attachment.id },
      { name: 'prompt', type: 3, value: PROMPT },
      ...options,
    ],
  });
}

/** Runs every case at once, each as its own member, and checks Kie's input and the delivered mp4. */
async function runCases(world: World, cases: Case[]) {
  const sent = cases.map((c, n) => ({
    c,
    interaction: animateAs(world, n, [str('model', c.model), ...c.options]),
  }));
  await Promise.all(
    sent.map(async ({ c, interaction }) => {
      const video = await world.discord.waitForRest(
        (e) => isEditOf(interaction)(e) && e.files.length > 0,
        45_000,
      );
      expect(video.files[0]?.bytes.equals(world.kie.video), c.model).toBe(true);
      expect(video.files[0]?.name).toBe('video.mp4');
    }),
  );
  expect(world.kie.count('createTask')).toBe(cases.length);
  for (const { c, interaction } of sent) {
    const tasks = [...world.kie.tasks.values()].filter((task) => task.model === c.model);
    expect(tasks, c.model).toHaveLength(1);
    expect(tasks[0]?.input, c.model).toStrictEqual(c.input);
    expect(tasks[0]?.apiKey).toBe(KIE_KEY);
    // The status embed named the model and its estimated cost.
    const edits = JSON.stringify(world.discord.log.filter(isEditOf(interaction)).map((e) => e.json));
    const label = registry.get(c.model)?.label;
    expect(edits, c.model).toContain(`"value":"${label}"`);
    expect(edits, c.model).toContain(`about ${c.credits} credits`);
  }
}

async function replyText(world: World, interaction: { token: string }) {
  return contentOf(await world.discord.waitForRest(isEditOf(interaction), 10_000));
}

function setup(world: World, subcommand: string, options: unknown[] = []) {
  return world.discord.sendSlashCommand({
    name: 'animate-setup',
    user: 'admin',
    options: [{ name: subcommand, type: 1, options }],
  });
}

/** The choices the bot answered an autocomplete interaction with. */
async function choicesOf(world: World, interaction: Interaction) {
  const answer = await world.discord.waitForRest(callbackOf(interaction));
  expect(answer.json).toMatchObject({ type: 8 });
  return (world.discord.modal(interaction) as { choices: Array<{ name: string; value: unknown }> }).choices;
}

describe('models end to end (sqlite)', () => {
  it('covers every registry entry with a documented input', () => {
    expect(DEFAULT_CASES.map((c) => c.model).sort()).toStrictEqual(
      registry
        .list()
        .map((entry) => entry.id)
        .sort(),
    );
  });

  // Fifteen jobs at once through one bot: more than the default 30 s on a loaded machine.
  it("submits each model's documented input with its defaults and delivers the mp4", async () => {
    const world = await openWorld();
    await runCases(world, DEFAULT_CASES);
    world.discord.assertNoViolations();
  }, 60_000);

  it("maps the member's choices onto each model's fields (ratio, duration type, extras)", async () => {
    const world = await openWorld();
    await runCases(world, CHOSEN_CASES);
    world.discord.assertNoViolations();
  }, 60_000);

  it("/animate-setup model switches the server's model and the next /animate uses it", async () => {
    const world = await openWorld();
    const command = setup(world, 'model', [str('model', 'kling-2.6/image-to-video')]);
    const saved = await world.discord.waitForRest(callbackOf(command));
    expect(saved.json).toMatchObject({
      type: 4,
      data: { flags: 64, content: 'This server now uses Kling 2.6 by default.' },
    });
    // Which models this server's key can use (no refusal yet: all of them).
    expect(JSON.stringify(saved.json)).toContain('"name":"Models with this server’s key"');
    expect(JSON.stringify(saved.json)).toMatch(/"value":"✅ Available: Sora 2, [^"]*Kling 2\.6/);

    const interaction = animateAs(world, 1, []);
    const video = await world.discord.waitForRest(
      (e) => isEditOf(interaction)(e) && e.files.length > 0,
      20_000,
    );
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    const [task] = [...world.kie.tasks.values()];
    expect(task?.model).toBe('kling-2.6/image-to-video');
    expect(task?.input).toStrictEqual({ prompt: PROMPT, image_urls: [URL], sound: false, duration: '5' });

    const status = setup(world, 'status');
    const shown = await world.discord.waitForRest(isEditOf(status), 10_000);
    expect(JSON.stringify(shown.json)).toContain('"value":"Kling 2.6"');
    world.discord.assertNoViolations();
  });

  it('refuses options a model does not support, saying what it supports, with no Kie call', async () => {
    const world = await openWorld();
    const refusals: Array<[Option[], string]> = [
      [
        [str('model', 'kling-2.6/image-to-video'), int('duration', 15)],
        'Kling 2.6 makes videos of 5 / 10 seconds, not 15.',
      ],
      [
        [str('model', 'wan/2-6-image-to-video'), str('aspect_ratio', 'portrait')],
        'Wan 2.6 keeps your image’s shape, so it has no portrait or landscape option. Leave `aspect_ratio` empty, or crop the image.',
      ],
      [
        [str('model', 'wan/2-6-image-to-video'), str('model_option', 'resolution=4k')],
        'Wan 2.6 does not offer resolution “4k”. Choose one of: 720p / 1080p.',
      ],
      [
        [str('model', 'kling-2.6/image-to-video'), str('model_option', 'resolution=720p')],
        'Kling 2.6 has no option “resolution”. It takes: sound.',
      ],
      [
        [str('model', 'sora-2-image-to-video'), str('model_option', 'size=high')],
        'Sora 2 has no extra options.',
      ],
      [
        [
          str('model', 'hailuo/2-3-image-to-video-standard'),
          int('duration', 10),
          str('model_option', 'resolution=1080P'),
        ],
        'Hailuo 2.3 offers resolution “1080P” only for 6 second videos.',
      ],
      [
        [str('model', 'grok-imagine/image-to-video'), bool('remove_watermark', true)],
        'Grok Imagine has no watermark option. Leave `remove_watermark` empty.',
      ],
      [
        [str('model', 'bytedance/seedance-1.5-pro'), int('duration', 5)],
        'Seedance 1.5 Pro makes videos of 4 / 6 / 8 / 10 / 12 seconds, not 5.',
      ],
    ];
    for (const [options, message] of refusals) {
      expect(await replyText(world, animateAs(world, 1, options))).toBe(message);
    }
    expect(world.kie.count('createTask')).toBe(0);
    expect(world.kie.count('file-stream-upload')).toBe(0);
    world.discord.assertNoViolations();
  });

  it('autocompletes durations of the chosen model, and every model', async () => {
    const world = await openWorld();
    const durations = world.discord.sendAutocomplete({
      name: 'animate',
      options: [
        { name: 'model', type: 3, value: 'kling-2.6/image-to-video' },
        { name: 'duration', type: 4, value: '', focused: true },
      ],
    });
    expect(await choicesOf(world, durations)).toStrictEqual([
      { name: '5 s', value: 5 },
      { name: '10 s', value: 10 },
    ]);

    const models = world.discord.sendAutocomplete({
      name: 'animate',
      options: [{ name: 'model', type: 3, value: '', focused: true }],
    });
    const choices = await choicesOf(world, models);
    expect(choices.map((choice) => choice.value)).toStrictEqual(registry.list().map((entry) => entry.id));
    for (const [i, entry] of registry.list().entries()) {
      expect(choices[i]?.name).toContain(entry.label);
    }

    const extras = world.discord.sendAutocomplete({
      name: 'animate',
      options: [
        { name: 'model', type: 3, value: 'hailuo/2-3-image-to-video-standard' },
        { name: 'model_option', type: 3, value: '', focused: true },
      ],
    });
    expect((await choicesOf(world, extras)).map((choice) => choice.value)).toStrictEqual([
      'resolution=768P',
      'resolution=1080P',
    ]);

    // Wan 3.0 takes 2–30 s, more than a menu's 25: what the member typed narrows the list.
    const typed = world.discord.sendAutocomplete({
      name: 'animate',
      options: [
        { name: 'model', type: 3, value: 'wan/3-0-video' },
        { name: 'duration', type: 4, value: '3', focused: true },
      ],
    });
    expect((await choicesOf(world, typed)).map((choice) => choice.value)).toStrictEqual([3, 30]);

    // Kling 3.0's `mode` reads as a resolution; the value is still Kie's.
    const kling = world.discord.sendAutocomplete({
      name: 'animate',
      locale: 'zh-CN',
      options: [
        { name: 'model', type: 3, value: 'kling-3.0/video' },
        { name: 'model_option', type: 3, value: '', focused: true },
      ],
    });
    expect((await choicesOf(world, kling)).slice(0, 3)).toStrictEqual([
      { name: '分辨率: 720p（标准）', value: 'mode=std' },
      { name: '分辨率: 1080p（专业）', value: 'mode=pro' },
      { name: '分辨率: 4K（超高清）', value: 'mode=4K' },
    ]);
    world.discord.assertNoViolations();
  });
});
