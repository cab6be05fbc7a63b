import { describe, expect, it } from 'vitest';
import type { Interaction } from '../support/discord/stand-in.js';
import { useRedis } from '../support/redis.js';
import { createWorld, type World } from './harness.js';
import { contentOf, editOf, type Rest } from './setup-steps.js';

type Embed = { title?: string; fields?: Array<{ name: string; value: string }> };
const embedOf = (e: Rest) => ((e.json as { embeds?: Embed[] }).embeds ?? [])[0];
const fieldsOf = (e: Rest) => Object.fromEntries((embedOf(e)?.fields ?? []).map((f) => [f.name, f.value]));

/** `/animate-quota` as the member: the fields of its private answer. */
async function quota(world: World, locale = 'en-US'): Promise<Record<string, string>> {
  const command = world.discord.sendSlashCommand({ name: 'animate-quota', user: 'user', locale });
  const answer = await world.discord.waitForRest(editOf(command), 10_000);
  const deferred = world.discord.log.find(
    (e) => e.method === 'POST' && e.route === `/interactions/${command.id}/${command.token}/callback`,
  );
  expect(deferred?.json).toMatchObject({ type: 5, data: { flags: 64 } });
  expect(embedOf(answer)?.title).toBe(locale === 'zh-CN' ? '你的动画配额' : 'Your animate quota');
  return fieldsOf(answer);
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const delivered = (world: World) => world.bot.logs.filter((line) => line.msg === 'job delivered').length;

/** Runs `/animate` (each prompt its own: the same twice within a minute is a double click) and waits until the video is recorded delivered. */
async function makeVideo(world: World, prompt: string): Promise<Interaction> {
  const before = delivered(world);
  const interaction = world.animate({ prompt });
  await until(() => delivered(world) > before);
  return interaction;
}

/** The `<t:…:R>` stamp in a text. */
const stampIn = (text: string | undefined) => /<t:(\d+):R>/.exec(text ?? '')?.[1];

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`/animate-quota on ${store}`, () => {
    it('shows the cooldown and the day’s count the limits enforce: the refusals name the same times', async () => {
      const world = await createWorld(store, {}, { limits: { perMemberPerDay: 3, cooldownSeconds: 60 } });
      await world.startBot();
      expect(await quota(world)).toEqual({
        Today: expect.stringMatching(/^3 of 3 videos left \(the count restarts <t:\d+:R>\)$/),
        Cooldown: 'Ready: you can start a video now',
        Server: '0 of 5 videos in progress at once (0 generating, 0 queued)',
        'Your videos in progress': 'None',
      });

      await makeVideo(world, 'the cat waves');
      expect(await quota(world, 'zh-CN')).toEqual({
        今天: expect.stringMatching(/^还可制作 2\/3 个视频（<t:\d+:R>重新计数）$/),
        冷却: expect.stringMatching(/^<t:\d+:R>可以开始下一个视频$/),
        服务器: '同时制作 0/5 个视频（0 个生成中，0 个排队中）',
        你正在制作的视频: '无',
      });
      const after = await quota(world);
      expect(after.Today).toMatch(/^2 of 3 videos left/);
      expect(after.Cooldown).toMatch(/^You can start the next video <t:\d+:R>$/);
      const refused = world.animate({ prompt: 'another one, right away' });
      const answer = contentOf(await world.discord.waitForRest(editOf(refused), 10_000));
      expect(answer).toContain('Please wait a little between videos');
      expect(stampIn(answer)).toBe(stampIn(after.Cooldown));
      expect(world.kie.count('createTask')).toBe(1);
      world.discord.assertNoViolations();
    });

    it('shows none left once the daily limit is reached, with the reset the refusal names', async () => {
      const world = await createWorld(store, {}, { limits: { perMemberPerDay: 2, cooldownSeconds: 0 } });
      await world.startBot();
      await makeVideo(world, 'the cat waves');
      await makeVideo(world, 'the cat jumps');
      const fields = await quota(world);
      expect(fields.Today).toMatch(/^0 of 2 videos left \(the count restarts <t:\d+:R>\)$/);
      expect(fields.Cooldown).toBe('None on this server');
      const refused = world.animate({ prompt: 'a third one' });
      const answer = contentOf(await world.discord.waitForRest(editOf(refused), 10_000));
      expect(answer).toContain('daily limit of 2 video(s)');
      expect(stampIn(answer)).toBe(stampIn(fields.Today));
      world.discord.assertNoViolations();
    });

    it('lists the member’s running videos with an ETA from this server’s history once there is enough of it, in the progress too, and after a restart', async () => {
      // Each of the first videos takes Kie 3 s; the ones that stay running never end.
      const world = await createWorld(
        store,
        { script: { steps: [{ state: 'generating', ms: 3_000 }], outcome: { kind: 'success' } } },
        { limits: { perMemberPerDay: null, cooldownSeconds: 0, maxRunning: 10 } },
      );
      await world.startBot();
      const forever = {
        steps: [{ state: 'generating' as const, ms: 1 }],
        outcome: { kind: 'never' as const },
      };

      world.kie.scriptNext(forever);
      const first = world.animate({ prompt: 'the first, before any history' });
      const firstQueued = await world.discord.waitForRest(
        (e) => editOf(first)(e) && JSON.stringify(e.json).includes('Animating your image'),
        20_000,
      );
      expect(fieldsOf(firstQueued).Expected).toBeUndefined();
      const early = await quota(world);
      expect(early.Server).toMatch(
        /^1 of 10 videos in progress at once \((0 generating, 1 queued|1 generating, 0 queued)\)$/,
      );
      expect(early['Your videos in progress']).toMatch(
        /^.+, \d+ s · no estimate yet \(0 of 5 videos like it made here\) · \[reply\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)$/,
      );

      // Five videos made here (through the bot, which notes each one's time as it is delivered).
      const before = delivered(world);
      for (let i = 0; i < 5; i += 1) world.animate({ prompt: `video number ${i}` });
      await until(() => delivered(world) >= before + 5, 40_000);

      world.kie.scriptNext({ ...forever, steps: [{ state: 'queuing', ms: 60_000 }] });
      const second = world.animate({ prompt: 'the second, with history' });
      const secondQueued = await world.discord.waitForRest(
        (e) => editOf(second)(e) && JSON.stringify(e.json).includes('Animating your image'),
        20_000,
      );
      expect(fieldsOf(secondQueued).Expected).toMatch(
        /^(ready <t:\d+:R>|any moment now) \(usually [123] s here\)$/,
      );

      const later = await quota(world);
      expect(later.Server).toMatch(/^2 of 10 videos in progress at once/);
      const lines = later['Your videos in progress']?.split('\n') ?? [];
      expect(lines).toHaveLength(2);
      // The first started long ago: past its expected end. The second: expected about 3 s after its start.
      expect(lines[0]).toMatch(/ · any moment now \(usually [123] s here\) · /);
      expect(lines[1]).toMatch(/ · (ready <t:\d+:R>|any moment now) \(usually [123] s here\) · /);

      // The history is in the store: a restarted bot estimates the same.
      await world.startBot();
      const restarted = await quota(world);
      expect(restarted['Your videos in progress']).toMatch(/usually [123] s here/);
      world.discord.assertNoViolations();
    }, 90_000);
  });
}
