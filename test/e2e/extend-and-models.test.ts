import { describe, expect, it } from 'vitest';
import { docLiteral } from '../services/models/doc-literals.js';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import { createWorld, type World } from './harness.js';

/** No cooldown or daily cap: these tests start several jobs for one member within seconds. */
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };

type Component = {
  type: number;
  label?: string;
  custom_id?: string;
  disabled?: boolean;
  placeholder?: string;
  options?: Array<{ label: string; value: string; description?: string }>;
};

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
const componentsOf = (message: MessageObject | undefined): Component[] =>
  ((message?.components ?? []) as Array<{ components: Component[] }>).flatMap((row) => row.components);
const componentId = (message: MessageObject | undefined, prefix: string) =>
  componentsOf(message).find((component) => component.custom_id?.startsWith(`${prefix}:`))?.custom_id ?? '';
const model = (id: string) => ({ name: 'model', type: 3, value: id });

/** Waits for the interaction's reply to carry the video, and returns the reply as Discord holds it. */
async function videoReply(world: World, interaction: Interaction): Promise<MessageObject> {
  await world.discord.waitForRest((e) => editOf(interaction)(e) && e.files.length > 0, 20_000);
  const reply = world.discord.original(interaction);
  expect(reply?.attachments).toHaveLength(1);
  return reply as MessageObject;
}

/** The link a reply gives to another message of the channel. */
const linkTo = (world: World, message: MessageObject) =>
  `https://discord.com/channels/${world.guildId}/${message.channel_id}/${message.id}`;

describe('Extend end to end', () => {
  it('Grok Imagine: Extend opens a form, sends the documented extend request on the video’s task, and the extension arrives in a new reply linking the first', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const first = await videoReply(world, world.animate({ options: [model('grok-imagine/image-to-video')] }));
    const [firstTask] = [...world.kie.tasks.values()];
    expect(componentsOf(first).map((component) => component.label ?? component.placeholder)).toEqual([
      'Remix',
      'Again',
      'Extend',
      'Open video',
      'Delete',
      'Try another model…',
    ]);

    const press = world.discord.sendButton({
      customId: componentId(first, 'extend'),
      user: 'user',
      messageId: first.id,
    });
    expect((await world.discord.waitForRest(callbackOf(press))).json).toMatchObject({ type: 9 });
    const modal = world.discord.modal(press) as {
      custom_id: string;
      title: string;
      components: Array<{ components: Array<{ custom_id: string; required?: boolean }> }>;
    };
    expect(modal.title).toBe('Extend this video');
    expect(modal.components[0]?.components[0]).toMatchObject({ custom_id: 'prompt', required: false });

    const submit = world.discord.sendModalSubmit({
      customId: modal.custom_id,
      fields: { prompt: '' },
      user: 'user',
      messageId: first.id,
    });
    const second = await videoReply(world, submit);
    expect(second.id).not.toBe(first.id);
    expect(world.kie.count('createTask')).toBe(2);
    // The extension continues Kie's own video: nothing is uploaded for it.
    expect(world.kie.count('file-stream-upload')).toBe(1);
    const extendCall = world.kie.requests.filter((request) => request.route === 'createTask')[1];
    expect(extendCall?.body).toStrictEqual({
      model: 'grok-imagine/extend',
      input: { ...docLiteral('GROK_EXTEND'), task_id: firstTask?.taskId },
    });
    const embed = (second.embeds as Array<{ description?: string; fields?: Array<{ value: string }> }>)[0];
    expect(embed?.description).toContain(linkTo(world, first));
    expect(embed?.description).toContain('extension 1 of 4');
    expect(embed?.fields?.map((field) => field.value)).toContain('+6 s');
    // The first video is untouched: still there, with its buttons.
    expect(world.discord.messages.get(first.id)?.attachments).toHaveLength(1);
    // An extension can be extended in turn; "Try another model" is for videos made from the image.
    expect(componentId(second, 'extend')).toMatch(/^extend:/);
    expect(componentId(second, 'try-model')).toBe('');
    world.discord.assertNoViolations();
  }, 45_000);

  it('is absent on models without a native extend, and a forged press is refused with nothing spent', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const reply = await videoReply(world, world.animate({ options: [model('bytedance/seedance-2-mini')] }));
    const labels = componentsOf(reply).map((component) => component.label);
    expect(labels).not.toContain('Extend');
    expect(labels).toContain('Again');

    const jobId = componentId(reply, 'again').split(':')[1];
    const forged = world.discord.sendButton({
      customId: `extend:${jobId}`,
      user: 'user',
      messageId: reply.id,
    });
    expect((await world.discord.waitForRest(callbackOf(forged))).json).toMatchObject({
      type: 4,
      data: { flags: 64, content: 'Seedance 2 Mini cannot extend a video, so this one has no Extend.' },
    });
    expect(world.kie.count('createTask')).toBe(1);
    world.discord.assertNoViolations();
  }, 45_000);
});

describe('Try another model end to end', () => {
  it('lists only the models the server’s key can run, and runs the same image and prompt on the one chosen, in a new reply', async () => {
    const available = ['sora-2-image-to-video', 'bytedance/seedance-2-mini', 'grok-imagine/image-to-video'];
    const world = await createWorld('sqlite', { catalog: { models: available } }, { limits });
    await world.startBot();
    const first = await videoReply(world, world.animate({ prompt: 'the cat waves at the camera' }));
    const [firstTask] = [...world.kie.tasks.values()];
    const menu = componentsOf(first).find((component) => component.type === 3);
    expect(menu?.placeholder).toBe('Try another model…');
    expect(menu?.options?.map((option) => option.value)).toEqual([
      'bytedance/seedance-2-mini',
      'grok-imagine/image-to-video',
    ]);
    // Priced for this video's options on each model: Seedance 2 Mini at 10 s, 720p.
    expect(menu?.options?.[0]).toMatchObject({ label: 'Seedance 2 Mini', description: 'about 82 credits' });

    const choose = world.discord.sendButton({
      customId: menu?.custom_id ?? '',
      componentType: 3,
      values: ['bytedance/seedance-2-mini'],
      user: 'user',
      messageId: first.id,
    });
    expect((await world.discord.waitForRest(callbackOf(choose))).json).toMatchObject({ type: 5 });
    const second = await videoReply(world, choose);
    expect(second.id).not.toBe(first.id);
    const [, other] = [...world.kie.tasks.values()];
    expect(other?.model).toBe('bytedance/seedance-2-mini');
    const firstImage = (firstTask?.input.image_urls as string[] | undefined)?.[0];
    expect(other?.input).toMatchObject({
      first_frame_url: firstImage,
      prompt: 'the cat waves at the camera',
      duration: 10,
    });
    expect(world.kie.count('file-stream-upload')).toBe(1);
    const embed = (second.embeds as Array<{ description?: string }>)[0];
    expect(embed?.description).toContain(linkTo(world, first));
    // The new video offers the others: its own model left out, and Sora, which Kie withdrew.
    const next = componentsOf(second).find((component) => component.type === 3);
    expect(next?.options?.map((option) => option.value)).toEqual(['grok-imagine/image-to-video']);
    world.discord.assertNoViolations();
  }, 45_000);
});
