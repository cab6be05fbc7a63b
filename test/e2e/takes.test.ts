import { describe, expect, it } from 'vitest';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import type { TaskScript } from '../support/kie/stand-in.js';
import { createWorld, type World } from './harness.js';

const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
const takes = (count: number) => ({ name: 'takes', type: 4, value: count });

const FAST: TaskScript = { steps: [{ state: 'generating', ms: 50 }], outcome: { kind: 'success' } };
const FAIL: TaskScript = {
  steps: [{ state: 'generating', ms: 50 }],
  outcome: { kind: 'fail', failCode: '500', failMsg: 'The renderer ran out of memory' },
};
const SLOW: TaskScript = { steps: [{ state: 'generating', ms: 9_000 }], outcome: { kind: 'success' } };
const NEVER: TaskScript = { steps: [{ state: 'generating', ms: 10 }], outcome: { kind: 'never' } };

type Component = { type: number; label?: string; custom_id?: string };
type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }> };

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const rowsOf = (message: MessageObject | undefined) =>
  ((message?.components ?? []) as Array<{ components: Component[] }>).map((row) =>
    row.components.map((component) => component.label ?? `menu ${component.custom_id?.split(':')[0]}`),
  );
const fileNames = (message: MessageObject | undefined) =>
  (message?.attachments ?? []).map((attachment) => attachment.filename).sort();
const takeEmbeds = (message: MessageObject | undefined) => ((message?.embeds ?? []) as Embed[]).slice(1);

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the shared reply says no take is in progress, and returns it. */
async function settled(world: World, interaction: Interaction, timeoutMs = 25_000): Promise<MessageObject> {
  await until(() => /, 0 in progress,/.test(world.discord.original(interaction)?.content ?? ''), timeoutMs);
  return world.discord.original(interaction) as MessageObject;
}

describe('several takes end to end', () => {
  it('takes: 3 → three createTask calls, three videos in one reply, each with its own buttons and cost', async () => {
    const world = await createWorld('sqlite', {}, { limits: { ...limits, perMemberPerDay: 4 } });
    await world.startBot();
    const interaction = world.animate({ options: [takes(3)] });
    const reply = await settled(world, interaction);

    expect(world.kie.count('createTask')).toBe(3);
    expect(world.kie.count('file-stream-upload')).toBe(1);
    const inputs = [...world.kie.tasks.values()].map((task) => JSON.stringify(task.input));
    expect(new Set(inputs).size).toBe(1);
    expect(fileNames(reply)).toEqual(['take-1.mp4', 'take-2.mp4', 'take-3.mp4']);
    expect(reply.content).toBe(
      `<@${interaction.userId}> 3 takes: 3 ready, 0 in progress, 0 without a video.`,
    );
    expect(takeEmbeds(reply).map((embed) => embed.title)).toEqual([
      'Take 1 of 3',
      'Take 2 of 3',
      'Take 3 of 3',
    ]);
    for (const embed of takeEmbeds(reply)) {
      // What Kie charged for this take (the stand-in charges 30 a task).
      expect(embed.fields).toContainEqual({
        name: 'Cost',
        value: '30 credits (charged by Kie AI)',
        inline: true,
      });
    }
    expect(rowsOf(reply)).toEqual([
      ['Remix 1', 'Again 1', 'Open video 1'],
      ['Remix 2', 'Again 2', 'Open video 2'],
      ['Remix 3', 'Again 3', 'Open video 3'],
      ['menu try-model'],
    ]);

    // Counted three times against the member's 4 a day: two more takes do not fit, and nothing is spent.
    const more = world.animate({ options: [takes(2)], prompt: 'the cat waves again' });
    const refused = await world.discord.waitForRest(
      (e) => e.route.includes(more.token) && /not for 2 takes/.test(JSON.stringify(e.json)),
      15_000,
    );
    expect(JSON.stringify(refused.json)).toContain('room for 1 more today');
    expect(world.kie.count('createTask')).toBe(3);

    // A take's own buttons act on that take: Again 2 makes one video in a new reply.
    const againId =
      ((reply.components ?? []) as Array<{ components: Component[] }>)[1]?.components[1]?.custom_id ?? '';
    const again = world.discord.sendButton({ customId: againId, user: 'user', messageId: reply.id });
    await world.discord.waitForRest(callbackOf(again));
    await until(() => (world.discord.original(again)?.attachments.length ?? 0) === 1);
    expect(world.discord.original(again)?.attachments[0]?.filename).toBe('video.mp4');
    expect(fileNames(world.discord.messages.get(reply.id))).toEqual([
      'take-1.mp4',
      'take-2.mp4',
      'take-3.mp4',
    ]);
    world.discord.assertNoViolations();
  }, 60_000);

  it('a take that fails leaves the other two delivered, and says why with a Retry of its own', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    world.kie.scriptNext(FAST, FAIL, FAST);
    await world.startBot();
    const interaction = world.animate({ options: [takes(3)] });
    const reply = await settled(world, interaction);

    expect(world.kie.count('createTask')).toBe(3);
    expect(reply.attachments).toHaveLength(2);
    expect(reply.content).toContain('3 takes: 2 ready, 0 in progress, 1 without a video.');
    const failed = takeEmbeds(reply).findIndex((embed) => embed.description?.startsWith('No video:'));
    expect(failed).toBeGreaterThan(0);
    expect(takeEmbeds(reply)[failed]?.description).toContain('The renderer ran out of memory');
    expect(rowsOf(reply)[failed]).toEqual([`Retry ${failed + 1}`]);
    expect(fileNames(reply)).not.toContain(`take-${failed + 1}.mp4`);
    world.discord.assertNoViolations();
  }, 60_000);

  it('keeps the first take’s video when the second arrives after a restart, through the channel once the token expired', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    world.kie.scriptNext(FAST, SLOW);
    await world.startBot();
    // Created 14 min 50 s ago: every edit of the reply goes through the channel with the bot token.
    const interaction = world.animate({
      options: [takes(2)],
      createdAt: world.discord.clock.now() - (14 * 60 + 50) * 1000,
    });
    await until(() => (world.discord.original(interaction)?.attachments.length ?? 0) === 1);
    const [firstVideo] = world.discord.original(interaction)?.attachments ?? [];
    expect(firstVideo?.filename).toBe('take-1.mp4');
    // Recorded with its attachment before the restart (a crash in between delivers it again).
    await world.bot.waitForMessage('job delivered', 10_000);

    await world.startBot();
    const reply = await settled(world, interaction, 40_000);
    expect(fileNames(reply)).toEqual(['take-1.mp4', 'take-2.mp4']);
    // The same attachment, kept by id, not uploaded again.
    expect(reply.attachments.find((attachment) => attachment.filename === 'take-1.mp4')?.id).toBe(
      firstVideo?.id,
    );
    const secondEdit = world.discord.log.find(
      (e) =>
        e.method === 'PATCH' &&
        e.route.startsWith('/channels/') &&
        e.files.some((f) => f.name === 'take-2.mp4'),
    );
    expect((secondEdit?.json as { attachments?: unknown[] } | undefined)?.attachments).toEqual([
      { id: firstVideo?.id },
      { id: '0', filename: 'take-2.mp4' },
    ]);
    expect(world.discord.expiredTokenUses).toBe(0);
    world.discord.assertNoViolations();
  }, 90_000);

  it('cancelling one take leaves the other’s video and buttons in place', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    world.kie.scriptNext(FAST, NEVER);
    await world.startBot();
    const interaction = world.animate({ options: [takes(2)] });
    await until(() => (world.discord.original(interaction)?.attachments.length ?? 0) === 1);
    const reply = world.discord.original(interaction) as MessageObject;
    const cancelId =
      ((reply.components ?? []) as Array<{ components: Component[] }>)[1]?.components[0]?.custom_id ?? '';
    expect(cancelId).toMatch(/^cancel:[a-z0-9]+2$/);

    const cancel = world.discord.sendButton({ customId: cancelId, user: 'user', messageId: reply.id });
    expect((await world.discord.waitForRest(callbackOf(cancel))).json).toMatchObject({ type: 6 });
    const after = await settled(world, interaction);
    expect(fileNames(after)).toEqual(['take-1.mp4']);
    expect(takeEmbeds(after)[1]?.description).toContain('Cancelled');
    expect(rowsOf(after)).toEqual([['Remix 1', 'Again 1', 'Open video 1'], ['menu try-model']]);
    world.discord.assertNoViolations();
  }, 60_000);

  it('refuses more takes than the server can run at once, with nothing downloaded or spent', async () => {
    const world = await createWorld('sqlite', {}, { limits: { ...limits, maxRunning: 2 } });
    await world.startBot();
    const interaction = world.animate({ options: [takes(3)] });
    const answer = await world.discord.waitForRest(
      (e) => e.route.includes(interaction.token) && /room for 2 more videos/.test(JSON.stringify(e.json)),
      15_000,
    );
    expect(JSON.stringify(answer.json)).toContain('not 3');
    expect(world.kie.count('createTask')).toBe(0);
    expect(world.kie.count('file-stream-upload')).toBe(0);
    world.discord.assertNoViolations();
  }, 45_000);
});
