import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_IDS } from '../../src/services/models/registry.js';
import { seedGuildKey } from '../support/bot-process.js';
import { makePng } from '../support/images.js';
import { createWorld, KIE_KEY, type World } from './harness.js';

type Rest = World['discord']['log'][number];

const SORA = 'sora-2-image-to-video';
/** What the bot falls back to for a server that picked no model (Sora 2 is first). */
const NEXT = DEFAULT_MODEL_IDS[1] ?? '';
const FAST = { steps: [], outcome: { kind: 'success' as const } };
const catPng = makePng(64, 36);

const isEditOf = (interaction: { token: string }) => (e: Rest) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
const isVideoOf = (interaction: { token: string }) => (e: Rest) =>
  isEditOf(interaction)(e) && e.files.length > 0;
const textOf = (e: Rest) => JSON.stringify(e.json);

/** A member per job, so no limit stands between them. */
const member = (n: number) => ({ id: String(300_000_000_000_000_000n + BigInt(n)) });

async function openWorld(): Promise<World> {
  const world = await createWorld('sqlite', { script: FAST });
  await seedGuildKey(world.env, world.guildId, KIE_KEY, { cooldownSeconds: 0, perMemberPerDay: null });
  await world.startBot();
  return world;
}

/** Sends /animate as member `n` with the harness's image and a prompt of its own. */
function animate(world: World, n: number) {
  const png = world.discord.seedAttachment('cat.png', 'image/png', catPng, { width: 64, height: 36 });
  return world.discord.sendSlashCommand({
    name: 'animate',
    user: member(n),
    options: [
      { name: 'image', type: 11, value: png.id },
      { name: 'prompt', type: 3, value: `the cat waves, take ${n}` },
    ],
  });
}

const createdModels = (world: World) =>
  world.kie.requests
    .filter((request) => request.route === 'createTask')
    .map((request) => (request.body as { model: string }).model);

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the catalog read');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the default model list against today’s Kie (Sora 2 withdrawn)', () => {
  it('a server that picked no model gets its video from the next model, named in the reply; the next member’s job skips Sora', async () => {
    const world = await openWorld();
    world.kie.withdrawModel(SORA);
    const first = animate(world, 1);
    const video = await world.discord.waitForRest(isVideoOf(first), 20_000);
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    // Sora was asked once and refused (nothing charged); the same job went on with the next model.
    expect(createdModels(world)).toEqual([SORA, NEXT]);
    expect([...world.kie.tasks.values()].map((task) => task.model)).toEqual([NEXT]);
    expect(world.kie.count('file-stream-upload')).toBe(1);
    expect(textOf(video)).toMatch(/Made with [^:]+: Sora 2 is not available on Kie AI right now\./);

    const second = animate(world, 2);
    await world.discord.waitForRest(isVideoOf(second), 20_000);
    expect(createdModels(world)).toEqual([SORA, NEXT, NEXT]);
    world.discord.assertNoViolations();
  });

  it('a server whose admin chose Sora 2 is never switched silently: refused with alternatives and a one-click button, 0 credits', async () => {
    const world = await openWorld();
    world.kie.withdrawModel(SORA);
    const chosen = world.discord.sendSlashCommand({
      name: 'animate-setup',
      user: 'admin',
      options: [{ name: 'model', type: 1, options: [{ name: 'model', type: 3, value: SORA }] }],
    });
    await world.discord.waitForRest((e) => e.method === 'POST' && e.route.includes(chosen.token), 10_000);

    const credits = world.kie.credits(KIE_KEY);
    const asked = animate(world, 1);
    const question = await world.discord.waitForRest(
      (e) => isEditOf(asked)(e) && textOf(e).includes('confirm:'),
      20_000,
    );
    expect(textOf(question)).toMatch(/Sora 2 cannot be used with this server’s Kie AI key right now/);
    expect(world.kie.tasks.size).toBe(0);
    expect(world.kie.credits(KIE_KEY)).toBe(credits);
    const button = (
      question.json as { components: Array<{ components: Array<{ label: string; custom_id: string }> }> }
    ).components[0]?.components[0];
    expect(button?.label).toMatch(/^Use .+ this time$/);

    // One click: the video comes from the offered model, with the image already uploaded.
    const message = world.discord.original(asked);
    const click = world.discord.sendButton({
      customId: button?.custom_id ?? '',
      user: member(1),
      messageId: message?.id ?? '',
    });
    const video = await world.discord.waitForRest(
      (e) => e.files.length > 0 && (e.route.includes(click.token) || e.route.includes(asked.token)),
      20_000,
    );
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    expect([...world.kie.tasks.values()].map((task) => task.model)).toEqual([NEXT]);
    expect(world.kie.count('file-stream-upload')).toBe(1);
    world.discord.assertNoViolations();
  });

  it('with a catalog that no longer lists Sora 2, Sora is never called', async () => {
    const world = await createWorld('sqlite', { script: FAST });
    world.kie.setCatalog('without-sora');
    await seedGuildKey(world.env, world.guildId, KIE_KEY, { cooldownSeconds: 0, perMemberPerDay: null });
    await world.startBot();
    // The bot reads each key's catalog at start; the first job waits until it has.
    await until(() => world.kie.requests.some((request) => request.path.startsWith('/api/v1/models')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const job = animate(world, 1);
    await world.discord.waitForRest(isVideoOf(job), 20_000);
    expect(createdModels(world)).toEqual([NEXT]);

    const status = world.discord.sendSlashCommand({
      name: 'animate-setup',
      user: 'admin',
      options: [{ name: 'status', type: 1, options: [] }],
    });
    const shown = await world.discord.waitForRest(isEditOf(status), 10_000);
    expect(textOf(shown)).toContain('⛔ Sora 2: Kie’s model list for this key no longer has it');
    world.discord.assertNoViolations();
  });

  it('shows what Kie charged once it says (creditsConsumed), and the estimate, named as one, when it does not', async () => {
    const world = await openWorld();
    world.kie.scriptNext({ ...FAST, creditsConsumed: 82.5 }, { ...FAST, creditsConsumed: 'absent' });
    const charged = animate(world, 1);
    const first = textOf(await world.discord.waitForRest(isVideoOf(charged), 20_000));
    expect(first).toContain('"name":"Cost","value":"82.5 credits (charged by Kie AI)"');
    expect(first).not.toContain('Estimated cost');

    const unknown = animate(world, 2);
    const second = textOf(await world.discord.waitForRest(isVideoOf(unknown), 20_000));
    expect(second).toMatch(/"name":"Estimated cost","value":"about \d+ credits"/);
    world.discord.assertNoViolations();
  });
});
