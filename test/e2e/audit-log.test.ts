import { describe, expect, it } from 'vitest';
import type { Interaction } from '../support/discord/stand-in.js';
import { Perm } from '../support/discord/state.js';
import { useRedis } from '../support/redis.js';
import { createWorld, KIE_KEY, type World } from './harness.js';
import {
  callbackOf,
  contentOf,
  editOf,
  leaksNowhere,
  type Rest,
  setup,
  statusFields,
} from './setup-steps.js';

/** No cooldown or daily cap: these tests start several jobs for one member within seconds. */
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
const channels = [{ name: 'audit-log' }, { name: 'locked', botDeny: Perm.EmbedLinks }];

type Embed = {
  title: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  timestamp?: string;
};
type Post = { embeds: Embed[]; allowed_mentions?: unknown; content?: string };

const auditChannel = (world: World, name = 'audit-log') => world.discord.ids.guilds[0]?.channels[name] ?? '';
const postsTo = (world: World, channelId: string) =>
  world.discord.log.filter((e) => e.method === 'POST' && e.route === `/channels/${channelId}/messages`);
const bodyOf = (entry: Rest) => entry.json as Post;
const field = (embed: Embed | undefined, name: string) => embed?.fields?.find((f) => f.name === name)?.value;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `/animate-setup log-channel` with a channel (as Discord resolves it) or `off`; the private answer. */
async function setLogChannel(world: World, channelId: string | null): Promise<string> {
  const option = channelId
    ? [{ name: 'channel', type: 7, value: channelId }]
    : [{ name: 'off', type: 5, value: true }];
  const resolved = channelId
    ? { channels: { [channelId]: { id: channelId, name: 'audit-log', type: 0, permissions: '0' } } }
    : {};
  const command = setup(world, 'log-channel', 'admin', option, resolved);
  return contentOf(await world.discord.waitForRest(editOf(command), 10_000));
}

async function blocklistAdd(world: World, words: string): Promise<void> {
  const command = world.discord.sendSlashCommand({
    name: 'animate-setup',
    user: 'admin',
    options: [
      {
        name: 'blocklist',
        type: 2,
        options: [{ name: 'add', type: 1, options: [{ name: 'words', type: 3, value: words }] }],
      },
    ],
  });
  await world.discord.waitForRest(editOf(command), 10_000);
}

async function setKey(world: World): Promise<void> {
  const command = setup(world, 'key');
  await world.discord.waitForRest(callbackOf(command));
  const submit = world.discord.sendModalSubmit({
    customId: 'setup-key',
    fields: { key: KIE_KEY },
    user: 'admin',
  });
  expect(contentOf(await world.discord.waitForRest(editOf(submit), 10_000))).toContain(
    'Saved the Kie AI key',
  );
}

async function removeKey(world: World): Promise<void> {
  const command = setup(world, 'remove-key');
  await world.discord.waitForRest(callbackOf(command));
  const question = world.discord.original(command);
  const press = world.discord.sendButton({
    customId: 'setup-remove:confirm',
    user: 'admin',
    messageId: question?.id ?? '',
  });
  await world.discord.waitForRest(callbackOf(press));
}

/** Waits until the job's reply was edited for the last time (the video, or why it failed). */
async function ended(world: World, interaction: Interaction, what: 'video' | 'failure'): Promise<void> {
  await world.discord.waitForRest(
    (e) =>
      editOf(interaction)(e) &&
      (what === 'video' ? e.files.length > 0 : JSON.stringify(e.json).includes('boom')),
    30_000,
  );
}

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`the audit log channel on ${store}`, () => {
    it('gets exactly one message per job and per admin change, across a restart, with no key and no ping', async () => {
      const world = await createWorld(store, {}, { limits, discordOptions: { channels } });
      await world.startBot();
      const channelId = auditChannel(world);
      expect(await setLogChannel(world, channelId)).toBe(
        `The audit log will post in <#${channelId}>: one message per finished job, per setup change and per blocklist refusal.`,
      );
      await setKey(world);
      const limited = setup(world, 'limits', 'admin', [{ name: 'max_running', type: 4, value: 7 }]);
      await world.discord.waitForRest(callbackOf(limited));
      await blocklistAdd(world, 'nsfw');
      await until(() => postsTo(world, channelId).length === 4);

      // The setting survives a restart: the new process posts there too.
      await world.startBot();
      const delivered = world.animate({ prompt: '@everyone the cat **waves**' });
      await ended(world, delivered, 'video');
      world.kie.scriptNext({ steps: [], outcome: { kind: 'fail', failCode: '500', failMsg: 'boom' } });
      const failed = world.animate({ prompt: 'the cat sleeps' });
      await ended(world, failed, 'failure');
      const refused = world.animate({ prompt: 'an NSFW scene' });
      await world.discord.waitForRest(editOf(refused), 10_000);
      await removeKey(world);
      await until(() => postsTo(world, channelId).length >= 8);
      // Nothing more arrives: one message each, not one per step or per retry.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const posts = postsTo(world, channelId).map(bodyOf);
      expect(posts).toHaveLength(8);

      const titles = posts.map((post) => post.embeds[0]?.title);
      expect(titles.slice(0, 4)).toEqual([
        'Setup changed',
        'Setup changed',
        'Setup changed',
        'Setup changed',
      ]);
      expect(posts.slice(0, 4).map((post) => post.embeds[0]?.description?.split('\n')[0])).toEqual([
        `The audit log now posts in <#${channelId}>.`,
        'Kie AI key set. The key is never shown here.',
        'Limits changed:',
        'Added to the blocklist: ||nsfw||. It now holds 1 entries.',
      ]);
      expect([...titles.slice(4)].sort()).toEqual(
        ['Job failed', 'Prompt refused by the blocklist', 'Setup changed', 'Video delivered'].sort(),
      );
      const video = posts.find((post) => post.embeds[0]?.title === 'Video delivered')?.embeds[0];
      const reply = world.discord.original(delivered);
      expect(field(video, 'Member')).toBe(`<@${delivered.userId}>`);
      expect(field(video, 'Credits')).toBe('30 (charged by Kie)');
      expect(field(video, 'Reply')).toBe(
        `[Open the reply](https://discord.com/channels/${world.guildId}/${delivered.channelId}/${reply?.id})`,
      );
      expect(video?.description).toBe('Prompt: @\u200beveryone the cat \\*\\*waves\\*\\*');
      const failure = posts.find((post) => post.embeds[0]?.title === 'Job failed')?.embeds[0];
      expect(field(failure, 'Why')).toContain('boom');
      const refusal = posts.find((post) => post.embeds[0]?.title === 'Prompt refused by the blocklist')
        ?.embeds[0];
      expect(field(refusal, 'Matched entry')).toBe('||nsfw||');
      expect(posts.at(-1)?.embeds[0]?.description).toBe('Kie AI key removed.');

      for (const post of posts) {
        expect(post.allowed_mentions).toEqual({ parse: [] });
        expect(post.content).toBeUndefined();
      }
      // No key anywhere: not in the log channel (not even its last characters), not in any body.
      const changes = JSON.stringify(posts.filter((post) => post.embeds[0]?.title === 'Setup changed'));
      expect(changes).not.toContain(KIE_KEY.slice(-4));
      leaksNowhere(world, KIE_KEY);
      world.discord.assertNoViolations();
    }, 120_000);

    it('warns the admins once when the jobs’ charges reach 80 % of the monthly budget, with the figures, and status shows it', async () => {
      const world = await createWorld(store, {}, { limits, discordOptions: { channels } });
      await world.startBot();
      const channelId = auditChannel(world);
      await setLogChannel(world, channelId);
      const budget = setup(world, 'budget', 'admin', [{ name: 'credits', type: 4, value: 150 }]);
      await world.discord.waitForRest(editOf(budget), 10_000);
      await until(() => postsTo(world, channelId).length === 2);
      const change = bodyOf(postsTo(world, channelId)[1] as Rest).embeds[0];
      expect(change?.title).toBe('Setup changed');
      expect(change?.description).toBe(
        'Monthly budget set to 150 credits, starting again on day 1 of each month (UTC).',
      );
      expect(field(change, 'By')).toBe(`<@${world.discord.ids.admin}>`);

      // Five jobs of 30 credits, one after the other: 120 of 150 (80 %) after the fourth, 150 after
      // the fifth. Kie does not say what the second cost: its 30 count as estimated.
      const fast = { steps: [], outcome: { kind: 'success' as const } };
      world.kie.scriptNext(fast, { ...fast, creditsConsumed: 'absent' }, fast, fast, fast);
      for (const n of [1, 2, 3, 4, 5]) await ended(world, world.animate({ prompt: `take ${n}` }), 'video');
      const titled = (title: string) => (post: Post) => post.embeds[0]?.title === title;
      await until(() => postsTo(world, channelId).map(bodyOf).filter(titled('Video delivered')).length === 5);
      // The warning came with the fourth job; nothing more arrives: the fifth does not warn again.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const posts = postsTo(world, channelId).map(bodyOf);
      const warnings = posts.filter(titled('80 % of the monthly budget spent'));
      expect(warnings).toHaveLength(1);
      expect(posts).toHaveLength(2 + 5 + 1);
      const now = new Date();
      const resets = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) / 1000;
      expect(warnings[0]?.embeds[0]?.description).toBe(
        `120 of 150 credits spent (80 %), 30 of it estimated. The budget starts again <t:${resets}:f>; jobs that would cross it are refused.`,
      );
      for (const post of posts) {
        expect(post.allowed_mentions).toEqual({ parse: [] });
        expect(post.content).toBeUndefined();
      }

      // The admin sees it in status too, with all five jobs counted.
      const shown = (await statusFields(world))['Monthly budget']?.split('\n') ?? [];
      expect(shown[0]).toBe(
        `150 of 150 credits spent (100 %), 0 held by jobs under way · starts again <t:${resets}:f>`,
      );
      expect(shown).toContain('30 of it estimated (Kie did not say what it charged)');
      // The same moment as the warning's message.
      const warnedAt = Math.ceil(Date.parse(warnings[0]?.embeds[0]?.timestamp ?? '') / 1000);
      expect(shown.at(-1)).toBe(`⚠️ 80 % of the budget was reached <t:${warnedAt}:f>`);
      expect(JSON.stringify(posts)).not.toContain(KIE_KEY.slice(-4));
      leaksNowhere(world, KIE_KEY);
      world.discord.assertNoViolations();
    }, 120_000);
  });
}

describe('an audit log channel the bot cannot post in', () => {
  it('is named at once and in status, posts nothing there, and jobs still deliver', async () => {
    const world = await createWorld('sqlite', {}, { limits, discordOptions: { channels } });
    await world.startBot();
    const locked = auditChannel(world, 'locked');
    expect(await setLogChannel(world, locked)).toBe(
      `Saved <#${locked}>, but the bot lacks Embed Links there, so nothing can be posted yet. Give the bot those permissions in that channel.`,
    );
    expect((await statusFields(world))['Audit log']).toBe(
      `<#${locked}>: the bot lacks Embed Links there; nothing is posted`,
    );
    const job = world.animate();
    await ended(world, job, 'video');
    expect(postsTo(world, locked)).toEqual([]);

    // Discord refuses a channel the bot's cache thought fine: remembered, shown, not retried in a loop.
    const open = auditChannel(world);
    world.discord.intercept((e) => e.method === 'POST' && e.route === `/channels/${open}/messages`, {
      status: 403,
      json: { message: 'Missing Access', code: 50001 },
    });
    await setLogChannel(world, open);
    await until(() => postsTo(world, open).length === 1);
    for (const prompt of ['one', 'two']) await ended(world, world.animate({ prompt }), 'video');
    expect(postsTo(world, open)).toHaveLength(1);
    expect((await statusFields(world))['Audit log']).toMatch(
      new RegExp(
        `^<#${open}>: Discord refused the last post \\(403, code 50001\\) <t:\\d+:R>; posting is paused`,
      ),
    );

    expect(await setLogChannel(world, null)).toBe(`The audit log is off; it posted in <#${open}>.`);
    expect((await statusFields(world))['Audit log']).toBe('off: `/animate-setup log-channel`');
    world.discord.assertNoViolations();
  }, 90_000);
});
