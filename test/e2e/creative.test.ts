import { describe, expect, it } from 'vitest';
import { expectedInput } from '../services/models/doc-cases.js';
import { END_FRAME_CASES } from '../services/models/end-frame-cases.js';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import { createWorld, type World } from './harness.js';

/** No cooldown or daily cap: some tests start several jobs for one member within seconds. */
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
const isCdn = (e: RestLogEntry) => e.route.startsWith('/cdn/') || e.route.startsWith('/media/');

interface Modal {
  custom_id: string;
  title: string;
  components: Array<{ type: number; label: string; component: { type: number; custom_id: string } }>;
}

/** Uses Animate on the message and returns the form the bot opened. */
async function openForm(world: World, message: MessageObject, locale?: string): Promise<Modal> {
  const menu = world.discord.sendMessageCommand({
    name: 'Animate',
    messageId: message.id,
    ...(locale ? { locale } : {}),
  });
  const shown = await world.discord.waitForRest(callbackOf(menu));
  expect(shown.json).toMatchObject({ type: 9 });
  expect(shown.at - menu.sentAt).toBeLessThan(3_000);
  return world.discord.modal(menu) as Modal;
}

/** Sends the form back filled in (selects as lists of chosen values, as Discord does). */
function sendForm(world: World, modal: Modal, answers: Partial<Record<string, string | string[]>> = {}) {
  return world.discord.sendModalSubmit({
    customId: modal.custom_id,
    labels: true,
    fields: {
      prompt: 'the cat waves at the camera',
      model: [],
      duration: '',
      shape: [],
      extras: [],
      ...answers,
    } as Record<string, string | string[]>,
  });
}

/** Waits for the interaction's reply to carry the video. */
async function videoIn(world: World, interaction: Interaction): Promise<void> {
  const edit = await world.discord.waitForRest((e) => editOf(interaction)(e) && e.files.length > 0, 20_000);
  expect(edit.files[0]?.bytes.equals(world.kie.video)).toBe(true);
}

/** What reached Kie that could cost: uploads and tasks. */
function spent(world: World) {
  const uploads = (['file-stream-upload', 'file-url-upload', 'file-base64-upload'] as const).map((route) =>
    world.kie.count(route),
  );
  return { uploads: uploads.reduce((a, b) => a + b, 0), tasks: world.kie.count('createTask') };
}

/** The bytes Kie holds at an uploaded file's URL. */
function onKie(world: World, url: unknown): Buffer | undefined {
  return [...world.kie.files.values()].find((file) => typeof url === 'string' && url.endsWith(file.filePath))
    ?.bytes;
}

describe('Animate on a message, end to end', () => {
  it('takes the message’s PNG, opens the form, re-hosts the image on Kie and puts the video in the reply', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const png = makePng(64, 36);
    const message = world.discord.seedMessage({
      content: 'look at my cat',
      files: [{ name: 'cat.png', type: 'image/png', bytes: png }],
    });
    const cdnBefore = world.discord.log.filter(isCdn).length;
    const modal = await openForm(world, message);
    expect(modal.title).toBe('Animate this image');
    expect(modal.components.map((label) => [label.type, label.component.custom_id])).toEqual([
      [18, 'prompt'],
      [18, 'model'],
      [18, 'duration'],
      [18, 'shape'],
      [18, 'extras'],
    ]);
    // Nothing is fetched or sent to Kie before the member sends the form.
    expect(world.discord.log.filter(isCdn).length).toBe(cdnBefore);
    expect(spent(world)).toEqual({ uploads: 0, tasks: 0 });

    const submit = sendForm(world, modal);
    const defer = await world.discord.waitForRest(callbackOf(submit));
    expect(defer.json).toMatchObject({ type: 5 });
    expect(defer.at - submit.sentAt).toBeLessThan(3_000);
    await videoIn(world, submit);

    const [task] = [...world.kie.tasks.values()];
    expect(task?.input).toMatchObject({
      prompt: 'the cat waves at the camera',
      image_urls: [expect.stringMatching(new RegExp(`^${world.kie.url}/files/`))],
    });
    const [imageUrl] = (task?.input.image_urls ?? []) as string[];
    expect(onKie(world, imageUrl)?.equals(png)).toBe(true);
    expect(world.kie.count('createTask')).toBe(1);
    expect(world.discord.log.filter(isCdn).length).toBe(cdnBefore + 1);
    expect(world.discord.original(submit)?.attachments).toHaveLength(1);
    world.discord.assertNoViolations();
  });

  it('runs the form’s choices: Seedance 2 Mini, 6 s, silent, a seamless loop', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const message = world.discord.seedMessage({
      files: [{ name: 'cat.png', type: 'image/png', bytes: makePng(64, 36) }],
    });
    const modal = await openForm(world, message);
    const submit = sendForm(world, modal, {
      model: ['bytedance/seedance-2-mini'],
      duration: '6',
      extras: ['sound:off', 'loop'],
    });
    await videoIn(world, submit);
    const [task] = [...world.kie.tasks.values()];
    expect(task?.model).toBe('bytedance/seedance-2-mini');
    expect(task?.input).toMatchObject({ duration: 6, generate_audio: false, aspect_ratio: 'adaptive' });
    expect(task?.input.last_frame_url).toBe(task?.input.first_frame_url);
    expect(world.kie.count('file-stream-upload')).toBe(1);
    world.discord.assertNoViolations();
  });

  it('animates an embed’s image, fetched through Discord’s media proxy', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const png = makePng(36, 64);
    const proxied = world.discord.cdnUrl('preview.png', 'image/png', png).replace('/cdn/', '/media/');
    const message = world.discord.seedMessage({
      content: 'https://example.com/cat',
      embeds: [
        {
          type: 'rich',
          image: { url: 'https://example.com/cat.png', proxy_url: proxied, width: 36, height: 64 },
        },
      ],
    });
    const submit = sendForm(world, await openForm(world, message));
    await videoIn(world, submit);
    const [task] = [...world.kie.tasks.values()];
    const [imageUrl] = (task?.input.image_urls ?? []) as string[];
    expect(onKie(world, imageUrl)?.equals(png)).toBe(true);
    expect(task?.input).toMatchObject({ aspect_ratio: 'portrait' });
    world.discord.assertNoViolations();
  });

  it('answers a message without an image privately, in the member’s language: no form, 0 uploads, 0 tasks', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const message = world.discord.seedMessage({
      content: 'just words',
      files: [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('hello') }],
    });
    for (const [locale, words] of [
      ['en-US', /no image to animate/],
      ['zh-CN', /没有可以制作动画的图片/],
    ] as const) {
      const menu = world.discord.sendMessageCommand({ name: 'Animate', messageId: message.id, locale });
      const answer = await world.discord.waitForRest(callbackOf(menu));
      expect(answer.json).toMatchObject({
        type: 4,
        data: { content: expect.stringMatching(words), flags: 64 },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spent(world)).toEqual({ uploads: 0, tasks: 0 });
    expect(world.discord.log.filter(isCdn)).toHaveLength(0);
    world.discord.assertNoViolations();
  });

  it('says so when a form is sent that the bot does not hold, or another member’s: nothing spent, the owner’s kept', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const message = world.discord.seedMessage({
      files: [{ name: 'cat.png', type: 'image/png', bytes: makePng(64, 36) }],
    });
    const modal = await openForm(world, message);
    const stranger = world.discord.sendModalSubmit({
      customId: modal.custom_id,
      labels: true,
      user: { id: '1300000000000000077' },
      fields: { prompt: 'mine now', model: [], duration: '', shape: [], extras: [] },
    });
    const forged = world.discord.sendModalSubmit({
      customId: 'animate-form:0123456789abcdef',
      labels: true,
      fields: { prompt: 'a cat', model: [], duration: '', shape: [], extras: [] },
    });
    for (const submit of [stranger, forged]) {
      const edit = await world.discord.waitForRest(
        (e) => editOf(submit)(e) && /no longer open/.test(JSON.stringify(e.json)),
      );
      expect(edit).toBeDefined();
    }
    expect(spent(world)).toEqual({ uploads: 0, tasks: 0 });
    // The owner's form is still there for them.
    await videoIn(world, sendForm(world, modal));
    world.discord.assertNoViolations();
  });

  it('opens the form in Chinese for a zh-CN member', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const message = world.discord.seedMessage({
      files: [{ name: 'cat.png', type: 'image/png', bytes: makePng(64, 36) }],
    });
    const modal = await openForm(world, message, 'zh-CN');
    expect(modal.title).toBe('让这张图片动起来');
    expect(modal.components.map((label) => label.label)).toEqual([
      '提示词',
      '模型',
      '时长（秒）',
      '画面比例',
      '声音、镜头和循环',
    ]);
    world.discord.assertNoViolations();
  });
});

describe('/animate end_image, loop and sound, end to end', () => {
  /** `/animate` with the world's first image plus these options. */
  function animate(
    world: World,
    options: Array<{ name: string; type: number; value: unknown }>,
    prompt = 'the cat waves at the camera',
  ) {
    return world.animate({ options, prompt });
  }

  it('sends the end image to Wan 3.0 in last_frame_url, re-hosted on Kie like the first', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const end = makePng(36, 64);
    const endAttachment = world.discord.seedAttachment('end.png', 'image/png', end);
    const interaction = animate(world, [
      { name: 'model', type: 3, value: 'wan/3-0-video' },
      { name: 'duration', type: 4, value: 8 },
      { name: 'end_image', type: 11, value: endAttachment.id },
    ]);
    await videoIn(world, interaction);
    const [task] = [...world.kie.tasks.values()];
    expect(task?.model).toBe('wan/3-0-video');
    // The doc's Wan 3.0 example, with our prompt, first image and last frame (and no seed).
    const docCase = END_FRAME_CASES.find(
      (c) => c.model === 'wan/3-0-video' && c.options.endFrame === 'image',
    );
    if (!docCase) throw new Error('no Wan 3.0 case');
    const first = String(task?.input.first_frame_url);
    const last = String(task?.input.last_frame_url);
    expect(task?.input).toStrictEqual(expectedInput(docCase, first, last));
    expect(first).not.toBe(last);
    expect(onKie(world, last)?.equals(end)).toBe(true);
    expect(onKie(world, task?.input.first_frame_url)?.equals(makePng(64, 36))).toBe(true);
    world.discord.assertNoViolations();
  });

  it('refuses a loop on Kling 2.6 by name, listing models that can: 0 downloads, 0 uploads, 0 tasks', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = animate(world, [
      { name: 'model', type: 3, value: 'kling-2.6/image-to-video' },
      { name: 'loop', type: 5, value: true },
    ]);
    const edit = await world.discord.waitForRest(
      (e) => editOf(interaction)(e) && /loop/.test(JSON.stringify(e.json)),
    );
    const content = (edit.json as { content: string }).content;
    expect(content).toContain('Kling 2.6');
    expect(content).toContain('`loop`');
    expect(content).toContain('Seedance 2 Mini');
    expect(spent(world)).toEqual({ uploads: 0, tasks: 0 });
    expect(world.discord.log.filter(isCdn)).toHaveLength(0);
    world.discord.assertNoViolations();
  });

  it('puts sound in Kling 2.6’s own field, and the estimate shown doubles (55 → 110 credits)', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const estimateOf = async (interaction: Interaction) => {
      const status = await world.discord.waitForRest(
        (e) => editOf(interaction)(e) && /Estimated cost/.test(JSON.stringify(e.json)),
        20_000,
      );
      const fields = (status.json as { embeds: Array<{ fields: Array<{ name: string; value: string }> }> })
        .embeds[0]?.fields;
      return Object.fromEntries((fields ?? []).map((field) => [field.name, field.value]));
    };
    const model = { name: 'model', type: 3, value: 'kling-2.6/image-to-video' };
    const loud = await estimateOf(animate(world, [model, { name: 'sound', type: 5, value: true }]));
    // Another prompt: the same image and prompt within a minute would be taken for a double click.
    const quiet = await estimateOf(
      animate(world, [model, { name: 'sound', type: 5, value: false }], 'the cat waves, silently'),
    );
    expect(loud).toMatchObject({ 'Estimated cost': 'about 110 credits', Sound: 'on' });
    expect(quiet).toMatchObject({ 'Estimated cost': 'about 55 credits', Sound: 'off' });
    const inputs = [...world.kie.tasks.values()].map((task) => task.input.sound);
    expect(inputs.sort()).toEqual([false, true]);
    world.discord.assertNoViolations();
  });

  it('autocompletes only what the chosen model has: camera, model_option without sound, models that take a last frame', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const choicesOf = async (options: unknown[], locale = 'en-US') => {
      const asked = world.discord.sendAutocomplete({ name: 'animate', options, locale });
      const answer = await world.discord.waitForRest(callbackOf(asked));
      expect(answer.json).toMatchObject({ type: 8 });
      return (world.discord.modal(asked) as { choices: Array<{ name: string; value: unknown }> }).choices;
    };
    const seedance = { name: 'model', type: 3, value: 'bytedance/seedance-1.5-pro' };
    expect(
      await choicesOf([seedance, { name: 'camera', type: 3, value: '', focused: true }], 'zh-CN'),
    ).toStrictEqual([
      { name: '固定（镜头不动）', value: 'fixed' },
      { name: '自由（镜头可以移动）', value: 'free' },
    ]);
    const kling = { name: 'model', type: 3, value: 'kling-3.0/video' };
    expect(await choicesOf([kling, { name: 'camera', type: 3, value: '', focused: true }])).toStrictEqual([]);
    const extras = await choicesOf([seedance, { name: 'model_option', type: 3, value: '', focused: true }]);
    expect(extras.map((choice) => choice.value)).toStrictEqual([
      'resolution=480p',
      'resolution=720p',
      'resolution=1080p',
    ]);
    const looping = await choicesOf([
      { name: 'loop', type: 5, value: true },
      { name: 'model', type: 3, value: '', focused: true },
    ]);
    expect(looping.map((choice) => choice.value)).toStrictEqual([
      'bytedance/seedance-2-mini',
      'bytedance/seedance-2-fast',
      'bytedance/seedance-2',
      'kling-3.0/video',
      'wan/3-0-video',
      'veo-3-1',
      'minimax-h3/image-to-video',
      'bytedance/seedance-1.5-pro',
    ]);
    world.discord.assertNoViolations();
  });
});
