import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteFileOf } from '../../src/services/store/open-keyv.js';
import { makePng } from '../support/images.js';
import { useRedis } from '../support/redis.js';
import { createWorld, KIE_KEY, type World } from './harness.js';

type Rest = World['discord']['log'][number];
const callbackOf = (interaction: { id: string; token: string }) => (e: Rest) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: { token: string }) => (e: Rest) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
const contentOf = (e: Rest) => (e.json as { content?: string; data?: { content?: string } }).content ?? '';

function setup(
  world: World,
  subcommand: string,
  user: 'admin' | 'user' = 'admin',
  options: unknown[] = [],
  resolved = {},
) {
  return world.discord.sendSlashCommand({
    name: 'animate-setup',
    user,
    options: [{ name: subcommand, type: 1, options }],
    resolved,
  });
}

/** Runs /animate-setup key and submits the modal with this key, as the given member. */
async function submitKey(world: World, key: string, user: 'admin' | 'user' = 'admin') {
  const command = setup(world, 'key', user);
  const modal = await world.discord.waitForRest(callbackOf(command));
  expect(modal.json).toMatchObject({ type: 9, data: { custom_id: 'setup-key' } });
  const submit = world.discord.sendModalSubmit({ customId: 'setup-key', fields: { key }, user });
  const answer = await world.discord.waitForRest(editOf(submit), 10_000);
  const deferred = await world.discord.waitForRest(callbackOf(submit));
  expect(deferred.json).toMatchObject({ type: 5, data: { flags: 64 } });
  return contentOf(answer);
}

async function setLimits(world: World, options: unknown[], resolved = {}) {
  const command = setup(world, 'limits', 'admin', options, resolved);
  const answer = await world.discord.waitForRest(callbackOf(command));
  expect(answer.json).toMatchObject({
    type: 4,
    data: { flags: 64, content: expect.stringContaining('Limits saved.') },
  });
}

async function refusalOf(world: World, interaction: { token: string }) {
  return contentOf(await world.discord.waitForRest(editOf(interaction), 10_000));
}

async function rawStoreText(world: World): Promise<string> {
  if (world.env.STORE_URL.startsWith('sqlite://')) {
    const db = new Database(sqliteFileOf(world.env.STORE_URL), { readonly: true });
    const rows = db.prepare('SELECT key, value FROM keyv').all();
    db.close();
    return JSON.stringify(rows);
  }
  const client = createClient({ url: world.env.STORE_URL });
  await client.connect();
  const keys = await client.keys(`${world.env.STORE_NAMESPACE}*`);
  // Every key of the namespace, whatever its type (the Kie limiter's windows are sorted sets).
  const values = await Promise.all(
    keys.map(async (key) =>
      (await client.type(key)) === 'zset' ? client.zRange(key, 0, -1) : client.get(key),
    ),
  );
  await client.close();
  return JSON.stringify({ keys, values });
}

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`/animate-setup on ${store}`, () => {
    it('stores a valid key sealed, answers with a masked suffix and the balance, and then /animate works', async () => {
      const world = await createWorld(store, {}, { withKey: false });
      await world.startBot();
      const answer = await submitKey(world, KIE_KEY);
      expect(answer).toBe(
        `Saved the Kie AI key ••••${KIE_KEY.slice(-4)}. Balance: 10000 credits. Members can now use \`/animate\`.`,
      );

      const interaction = world.animate();
      const video = await world.discord.waitForRest(
        (e) => editOf(interaction)(e) && e.files.length > 0,
        20_000,
      );
      expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);

      const status = setup(world, 'status');
      const statusEdit = await world.discord.waitForRest(editOf(status), 10_000);
      expect(JSON.stringify(statusEdit.json)).toContain(`••••${KIE_KEY.slice(-4)}`);
      expect(JSON.stringify(statusEdit.json)).toMatch(/"value":"9970"/);
      // What the job cost: balance before and after, in the status and in the finished reply.
      expect(JSON.stringify(statusEdit.json)).toMatch(
        /"name":"Latest video","value":"10000 → 9970 credits \(30 used\) <t:\d+:R>"/,
      );
      expect(JSON.stringify(video.json)).toContain('"name":"Kie AI balance","value":"10000 → 9970 credits"');

      // Key hygiene over the whole run: store, logs, Discord payloads.
      expect(await rawStoreText(world)).not.toContain(KIE_KEY);
      expect(JSON.stringify(world.bot.logs)).not.toContain(KIE_KEY);
      expect(world.bot.stderr.join('')).not.toContain(KIE_KEY);
      const toDiscord = world.discord.log.filter((e) => !e.route.startsWith('/cdn/'));
      expect(JSON.stringify(toDiscord.map((e) => e.json))).not.toContain(KIE_KEY);
      world.discord.assertNoViolations();
    });

    it('refuses an invalid key and stores nothing', async () => {
      const world = await createWorld(store, {}, { withKey: false });
      await world.startBot();
      const answer = await submitKey(world, 'kie-not-a-real-key-000');
      expect(answer).toBe(
        'Kie AI says this key is not valid, so it was not saved. Copy it again from kie.ai/api-key.',
      );
      expect(await rawStoreText(world)).not.toContain('settings:');
      const interaction = world.animate();
      expect(await refusalOf(world, interaction)).toContain('/animate-setup key');
      expect(world.kie.count('createTask')).toBe(0);
    });

    it('refuses members without Manage Server even when Discord shows them the command', async () => {
      const world = await createWorld(store, {}, { withKey: false });
      await world.startBot();
      const command = setup(world, 'key', 'user');
      const answer = await world.discord.waitForRest(callbackOf(command));
      expect(answer.json).toMatchObject({
        type: 4,
        data: {
          flags: 64,
          content: 'Only members with the Manage Server permission can change the bot’s setup.',
        },
      });
      const submit = world.discord.sendModalSubmit({
        customId: 'setup-key',
        fields: { key: KIE_KEY },
        user: 'user',
      });
      const refused = await world.discord.waitForRest(callbackOf(submit));
      expect(refused.json).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(world.kie.count('credit')).toBe(0);
      expect(await rawStoreText(world)).not.toContain('settings:');
    });

    it('forgets the key after the admin confirms', async () => {
      const world = await createWorld(store);
      await world.startBot();
      const command = setup(world, 'remove-key');
      const ask = await world.discord.waitForRest(callbackOf(command));
      expect(JSON.stringify(ask.json)).toContain('setup-remove:confirm');
      const press = world.discord.sendButton({ customId: 'setup-remove:confirm', user: 'admin' });
      const done = await world.discord.waitForRest(callbackOf(press));
      expect(done.json).toMatchObject({
        type: 7,
        data: { content: 'The Kie AI key was removed.', components: [] },
      });
      expect(await refusalOf(world, world.animate())).toContain('/animate-setup key');
    });

    it('holds each limit, with a message naming it, and no Kie call for a refusal', async () => {
      const world = await createWorld(store, {
        script: { steps: [{ state: 'generating', ms: 30_000 }], outcome: { kind: 'success' } },
      });
      await world.startBot();
      const image = (w: number) => ({
        name: 'c.png',
        type: 'image/png',
        bytes: makePng(w, 40),
        width: w,
        height: 40,
      });

      // Double click: the same image and prompt twice.
      await setLimits(world, [
        { name: 'cooldown_seconds', type: 4, value: 0 },
        { name: 'max_running', type: 4, value: 10 },
      ]);
      const first = world.animate({ image: image(40) });
      await world.bot.waitForLog((line) => line.msg === 'job submitted');
      expect(await refusalOf(world, world.animate({ image: image(40) }))).toBe(
        'You just asked for this same video; it is already being made.',
      );
      void first;

      // Jobs at once for the server.
      await setLimits(world, [{ name: 'max_running', type: 4, value: 1 }]);
      expect(await refusalOf(world, world.animate({ image: image(41) }))).toBe(
        'This server is at its limit of 1 video(s) in progress at once. Please try again when one finishes.',
      );

      // Cooldown per member.
      await setLimits(world, [
        { name: 'max_running', type: 4, value: 10 },
        { name: 'cooldown_seconds', type: 4, value: 600 },
      ]);
      expect(await refusalOf(world, world.animate({ image: image(42) }))).toMatch(
        /^Please wait a little between videos: you can start the next one <t:\d+:R>\.$/,
      );

      // Jobs per member per day.
      await setLimits(world, [
        { name: 'cooldown_seconds', type: 4, value: 0 },
        { name: 'per_member_per_day', type: 4, value: 1 },
      ]);
      expect(await refusalOf(world, world.animate({ image: image(43) }))).toMatch(
        /^You have reached this server’s daily limit of 1 video\(s\) per member\. You can make more <t:\d+:R>\.$/,
      );

      // Who may use it.
      const guildCreate = world.discord.frames.find((f) => f.t === 'GUILD_CREATE');
      const roles =
        (guildCreate?.d as { roles?: Array<{ id: string; name: string }> } | undefined)?.roles ?? [];
      const adminRole = roles.find((role) => role.name === 'Admin');
      await setLimits(
        world,
        [
          { name: 'per_member_per_day', type: 4, value: 0 },
          { name: 'role', type: 8, value: adminRole?.id },
        ],
        {
          roles: {
            [adminRole?.id ?? '']: {
              ...adminRole,
              permissions: '0',
              position: 2,
              color: 0,
              hoist: false,
              managed: false,
              mentionable: false,
              flags: 0,
            },
          },
        },
      );
      expect(await refusalOf(world, world.animate({ image: image(44) }))).toBe(
        `On this server only members with the <@&${adminRole?.id}> role can use \`/animate\`.`,
      );

      expect(world.kie.count('createTask')).toBe(1);
      expect(world.kie.count('file-stream-upload')).toBe(1);
    });
  });
}
