import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import { useRedis } from '../support/redis.js';
import { createWorld, type World } from './harness.js';

/** No cooldown or daily cap: these tests start several jobs for one member within seconds. */
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
const OTHER_MEMBER = { id: '1300000000000000077' };

type Button = { type: number; style: number; label?: string; custom_id?: string; url?: string };

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
/** The buttons of a message (its menus left out). */
const buttonsOf = (message: MessageObject | undefined): Button[] =>
  ((message?.components ?? []) as Array<{ components: Button[] }>)
    .flatMap((row) => row.components)
    .filter((component) => component.type === 2);
const buttonId = (message: MessageObject | undefined, action: string) =>
  buttonsOf(message).find((button) => button.custom_id?.startsWith(`${action}:`))?.custom_id ?? '';

/** Waits for the interaction's reply to carry the video, and returns the reply as Discord holds it. */
async function videoReply(world: World, interaction: Interaction): Promise<MessageObject> {
  const edit = await world.discord.waitForRest((e) => editOf(interaction)(e) && e.files.length > 0, 20_000);
  expect(edit.files[0]?.bytes.equals(world.kie.video)).toBe(true);
  const reply = world.discord.original(interaction);
  expect(reply?.attachments).toHaveLength(1);
  return reply as MessageObject;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

describe('job buttons end to end on sqlite', () => {
  it('a finished reply carries Remix, Again, Open video and Delete; Again makes the same video in a new reply', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate();
    const reply = await videoReply(world, interaction);
    const [first] = [...world.kie.tasks.values()];

    const buttons = buttonsOf(reply);
    expect(buttons.map((button) => button.label)).toEqual(['Remix', 'Again', 'Open video', 'Delete']);
    expect(buttonId(reply, 'remix')).toMatch(/^remix:[a-z0-9]{8,32}$/);
    expect(buttonId(reply, 'again')).toMatch(/^again:[a-z0-9]{8,32}$/);
    // A button the bot answers (Kie's result URL dies after about a day), not a link to it.
    expect(buttons[2]).toMatchObject({
      style: 2,
      custom_id: buttonId(reply, 'again').replace('again', 'open'),
    });
    expect(buttons[2]?.url).toBeUndefined();

    const again = world.discord.sendButton({
      customId: buttonId(reply, 'again'),
      user: 'user',
      messageId: reply.id,
    });
    // A public reply: the new video is for the channel, like the first.
    const deferred = (await world.discord.waitForRest(callbackOf(again))).json as {
      type: number;
      data?: { flags?: number };
    };
    expect(deferred.type).toBe(5);
    expect((deferred.data?.flags ?? 0) & 64).toBe(0);
    const second = await videoReply(world, again);
    expect(second.id).not.toBe(reply.id);
    expect(second.content).toContain(`<@${again.userId}>`);

    expect(world.kie.count('createTask')).toBe(2);
    const [, repeated] = [...world.kie.tasks.values()];
    expect(repeated?.input).toStrictEqual(first?.input);
    // The image was already on Kie: Again uploads nothing new.
    expect(world.kie.count('file-stream-upload')).toBe(1);
    world.discord.assertNoViolations();
  });

  it('Remix opens a modal with the prompt filled in and starts a job with the edited prompt', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate({ prompt: 'the cat waves at the camera' });
    const reply = await videoReply(world, interaction);

    const remix = world.discord.sendButton({
      customId: buttonId(reply, 'remix'),
      user: 'user',
      messageId: reply.id,
    });
    const shown = await world.discord.waitForRest(callbackOf(remix));
    expect(shown.json).toMatchObject({ type: 9 });
    const modal = world.discord.modal(remix) as {
      custom_id: string;
      title: string;
      components: Array<{ components: Array<{ custom_id: string; value?: string }> }>;
    };
    expect(modal.title).toBe('Remix: change the prompt');
    const field = modal.components[0]?.components[0];
    expect(field).toMatchObject({ custom_id: 'prompt', value: 'the cat waves at the camera' });

    const submit = world.discord.sendModalSubmit({
      customId: modal.custom_id,
      fields: { [field?.custom_id ?? 'prompt']: 'the cat jumps over the moon' },
      user: 'user',
      messageId: reply.id,
    });
    await videoReply(world, submit);
    const [first, remixed] = [...world.kie.tasks.values()];
    expect(remixed?.input).toStrictEqual({ ...first?.input, prompt: 'the cat jumps over the moon' });
    world.discord.assertNoViolations();
  });

  it('a failed job offers Retry: refused to another member, a new job for its owner', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    world.kie.scriptNext({
      steps: [],
      outcome: { kind: 'fail', failCode: '500', failMsg: 'The renderer ran out of memory' },
    });
    await world.startBot();
    const interaction = world.animate();
    await world.discord.waitForRest(
      (e) => editOf(interaction)(e) && /ran out of memory/.test(JSON.stringify(e.json)),
      20_000,
    );
    const reply = world.discord.original(interaction);
    expect(buttonsOf(reply).map((button) => button.label)).toEqual(['Retry']);
    const retryId = buttonId(reply, 'retry');

    const stranger = world.discord.sendButton({
      customId: retryId,
      user: OTHER_MEMBER,
      messageId: reply?.id ?? '',
    });
    expect((await world.discord.waitForRest(callbackOf(stranger))).json).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: expect.stringContaining(`Only <@${interaction.userId}>`),
        allowed_mentions: { parse: [] },
      },
    });
    expect(world.kie.count('createTask')).toBe(1);

    const retry = world.discord.sendButton({ customId: retryId, user: 'user', messageId: reply?.id ?? '' });
    await videoReply(world, retry);
    const [failed, retried] = [...world.kie.tasks.values()];
    expect(failed?.state).toBe('fail');
    expect(retried?.input).toStrictEqual(failed?.input);
    expect(world.kie.count('createTask')).toBe(2);
    world.discord.assertNoViolations();
  });

  it('Cancel ends tracking: the reply says credits may still be spent, and nothing is posted later', async () => {
    const world = await createWorld(
      'sqlite',
      { script: { steps: [{ state: 'generating', ms: 10 * 60_000 }], outcome: { kind: 'success' } } },
      { limits },
    );
    await world.startBot();
    const interaction = world.animate();
    const status = await world.discord.waitForRest(
      (e) => editOf(interaction)(e) && JSON.stringify(e.json).includes('cancel:'),
      15_000,
    );
    expect(JSON.stringify(status.json)).toContain('"label":"Cancel"');
    // Let the job poll at least once, so there is a schedule to stop.
    await until(() => world.kie.count('recordInfo') > 0, 10_000);
    const reply = world.discord.original(interaction);
    const cancel = world.discord.sendButton({
      customId: buttonId(reply, 'cancel'),
      user: 'user',
      messageId: reply?.id ?? '',
    });
    const answer = await world.discord.waitForRest(callbackOf(cancel));
    expect(answer.json).toMatchObject({
      type: 7,
      data: { content: expect.stringContaining('may still finish and use credits'), components: [] },
    });
    expect(world.discord.original(interaction)).toMatchObject({ embeds: [], components: [] });
    expect(await world.bot.waitForMessage('job cancelled')).toMatchObject({ by: interaction.userId });

    // A poll already under way may still land; after that, none.
    await sleep(1_500);
    const polls = world.kie.count('recordInfo');
    const [task] = [...world.kie.tasks.values()];
    world.kie.finish(task?.taskId ?? '', { kind: 'success' });
    await sleep(7_000);
    expect(world.kie.count('recordInfo')).toBe(polls);
    expect(world.discord.log.filter((e) => e.files.length > 0)).toHaveLength(0);
    expect(world.discord.original(interaction)?.content).toContain('may still finish and use credits');
    expect(world.kie.count('download-url')).toBe(0);
    world.discord.assertNoViolations();
  }, 45_000);
});

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`job buttons across a restart on ${store}`, () => {
    it('a button pressed after the bot restarted still works', async () => {
      const world = await createWorld(store, {}, { limits });
      await world.startBot();
      const interaction = world.animate();
      const reply = await videoReply(world, interaction);

      await world.startBot();
      const again = world.discord.sendButton({
        customId: buttonId(reply, 'again'),
        user: 'user',
        messageId: reply.id,
      });
      await videoReply(world, again);
      const [first, repeated] = [...world.kie.tasks.values()];
      expect(repeated?.input).toStrictEqual(first?.input);
      world.discord.assertNoViolations();
    }, 45_000);
  });
}

describe('job buttons on a linked video', () => {
  it('a video too large to upload is linked, and its reply carries Remix, Again, Open video and Delete', async () => {
    const world = await createWorld('sqlite', {
      script: { steps: [], outcome: { kind: 'success', videoBytes: 11 * 1024 * 1024 } },
    });
    await world.startBot();
    const interaction = world.animate();
    await world.discord.waitForRest(
      (e) => editOf(interaction)(e) && /results\/\S+\.mp4/.test(JSON.stringify(e.json)),
      20_000,
    );
    const reply = world.discord.original(interaction);
    expect(buttonsOf(reply).map((button) => button.label)).toEqual([
      'Remix',
      'Again',
      'Open video',
      'Delete',
    ]);
    world.discord.assertNoViolations();
  });
});

/** Makes a job look `ms` older to the bot, as far as its image is concerned: its Kie upload and its kept copy. */
async function ageImage(world: World, jobId: string, ms: number): Promise<string> {
  const keyv = openKeyv(world.env.STORE_URL, { namespace: world.env.STORE_NAMESPACE });
  try {
    const jobs = new JobStore(keyv, pino({ level: 'silent' }));
    // The reply carries the video a moment before the record says delivered.
    let job = await jobs.get(world.guildId, jobId);
    for (let tries = 0; job?.status !== 'delivered' && tries < 100; tries += 1) {
      await sleep(100);
      job = await jobs.get(world.guildId, jobId);
    }
    if (!job?.imageKey || job.imageUploadedAt === null) throw new Error('the job kept no image');
    const moved = await jobs.transition(job, 'delivered', (current) => ({
      ...current,
      imageUploadedAt: (current.imageUploadedAt ?? 0) - ms,
    }));
    if (!moved.ok) throw new Error('could not age the job');
    const file = path.join(world.env.DATA_DIR, 'images', job.imageKey);
    const then = new Date(Date.now() - ms);
    await utimes(file, then, then);
    return file;
  } finally {
    await keyv.disconnect();
  }
}

describe('buttons that outlive Kie’s retention', () => {
  const HOUR_MS = 60 * 60_000;

  it('Remix on a job whose Kie upload has expired uploads the kept image again and delivers the video', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate({ prompt: 'the cat waves at the camera' });
    const reply = await videoReply(world, interaction);
    const [first] = [...world.kie.tasks.values()];
    const jobId = buttonId(reply, 'remix').split(':')[1] ?? '';
    await ageImage(world, jobId, 21 * HOUR_MS);
    world.kie.expireUploads();

    const remix = world.discord.sendButton({
      customId: buttonId(reply, 'remix'),
      user: 'user',
      messageId: reply.id,
    });
    await world.discord.waitForRest(callbackOf(remix));
    const modal = world.discord.modal(remix) as { custom_id: string };
    const submit = world.discord.sendModalSubmit({
      customId: modal.custom_id,
      fields: { prompt: 'the cat jumps over the moon' },
      user: 'user',
      messageId: reply.id,
    });
    await videoReply(world, submit);
    expect(world.kie.count('file-stream-upload')).toBe(2);
    const [, remixed] = [...world.kie.tasks.values()];
    expect(remixed?.imageFetch).toMatchObject({ ok: true });
    expect(JSON.stringify(remixed?.input)).not.toBe(JSON.stringify(first?.input));
    const [original, again] = [...world.kie.files.values()];
    expect(again?.bytes.equals(original?.bytes ?? Buffer.alloc(0))).toBe(true);
    world.discord.assertNoViolations();
  }, 45_000);

  it('past the image retention, Again asks for the image and spends nothing', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate();
    const reply = await videoReply(world, interaction);
    const kept = await ageImage(world, buttonId(reply, 'again').split(':')[1] ?? '', 15 * 24 * HOUR_MS);

    const again = world.discord.sendButton({
      customId: buttonId(reply, 'again'),
      user: 'user',
      messageId: reply.id,
    });
    const asked = await world.discord.waitForRest(
      (e) => editOf(again)(e) && JSON.stringify(e.json).includes('attach the image'),
      15_000,
    );
    expect(JSON.stringify(asked.json)).toContain('run `/animate` again');
    expect(world.kie.count('createTask')).toBe(1);
    expect(world.kie.count('file-stream-upload')).toBe(1);
    await expect(utimes(kept, new Date(), new Date())).rejects.toThrow(/ENOENT/);
    world.discord.assertNoViolations();
  }, 45_000);

  it('Open video answers privately with a fresh link after Kie’s result URL expired, to anyone', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate();
    const reply = await videoReply(world, interaction);
    const [task] = [...world.kie.tasks.values()];
    const resultUrl = task?.resultUrls[0] ?? '';
    world.kie.expireResultLinks();
    expect((await fetch(resultUrl)).status).toBe(404);
    const openId = buttonsOf(reply).find((button) => button.label === 'Open video')?.custom_id ?? '';

    // Kie refusing: the stored link, said to be perhaps expired.
    world.kie.fault({
      route: 'download-url',
      kind: 'status',
      code: 422,
      msg: 'url: not supported',
      times: 1,
    });
    const refused = world.discord.sendButton({ customId: openId, user: OTHER_MEMBER, messageId: reply.id });
    const deferred = await world.discord.waitForRest(callbackOf(refused));
    expect(deferred.json).toMatchObject({ type: 5, data: { flags: 64 } });
    const stale = await world.discord.waitForRest(editOf(refused), 15_000);
    expect((stale.json as { content: string }).content).toContain('may have expired');
    expect((stale.json as { content: string }).content).toContain(resultUrl);
    world.kie.clearFaults();

    const open = world.discord.sendButton({ customId: openId, user: OTHER_MEMBER, messageId: reply.id });
    expect((await world.discord.waitForRest(callbackOf(open))).json).toMatchObject({
      type: 5,
      data: { flags: 64 },
    });
    const answer = await world.discord.waitForRest(editOf(open), 15_000);
    const content = (answer.json as { content: string }).content;
    expect(content).toMatch(/works for about \d+ minutes/);
    const fresh = /(http:\/\/\S+)/.exec(content)?.[1] ?? '';
    expect(fresh).not.toBe(resultUrl);
    const video = await fetch(fresh);
    expect(video.status).toBe(200);
    expect(Buffer.from(await video.arrayBuffer()).equals(world.kie.video)).toBe(true);
    // Nothing was made or spent, and the public reply is untouched.
    expect(world.kie.count('createTask')).toBe(1);
    expect(world.discord.original(interaction)?.attachments).toHaveLength(1);
    world.discord.assertNoViolations();
  }, 45_000);
});
