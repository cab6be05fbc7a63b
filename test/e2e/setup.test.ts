import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { makePng } from '../support/images.js';
import { useRedis } from '../support/redis.js';
import { createWorld, KIE_KEY, type World } from './harness.js';
import {
  callbackOf,
  contentOf,
  editOf,
  leaksNowhere,
  rawStoreText,
  setup,
  statusFields,
  submitWebhookKey,
} from './setup-steps.js';

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

const WEBHOOK_KEY = 'kie-webhook-e2e-hmac-91c4f0d27a';

/** Reads the bot's settings store directly, opened with the bot's own secret box. */
async function withSettings<T>(world: World, use: (settings: SettingsStore) => Promise<T>): Promise<T> {
  const keyv = openKeyv(world.env.STORE_URL, { namespace: world.env.STORE_NAMESPACE });
  const box = new SealedBox(Buffer.from(world.env.ENCRYPTION_KEY ?? '', 'base64'));
  try {
    return await use(new SettingsStore(keyv, box, pino({ level: 'silent' })));
  } finally {
    await keyv.disconnect();
  }
}

const storedWebhookKey = (world: World) =>
  withSettings(world, (settings) => settings.openWebhookHmacKey(world.guildId));

/** `/animate-setup webhook-key remove:true` as the admin; the answer. */
async function removeWebhookKey(world: World): Promise<string> {
  const command = setup(world, 'webhook-key', 'admin', [{ name: 'remove', type: 5, value: true }]);
  return contentOf(await world.discord.waitForRest(editOf(command), 10_000));
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
      // The job's cost is noted just after the video is posted: wait for it before asking.
      const deadline = Date.now() + 5_000;
      while (!(await withSettings(world, (settings) => settings.get(world.guildId))).lastJobCredits) {
        if (Date.now() > deadline) throw new Error('the job’s credits were never noted');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

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
      leaksNowhere(world, KIE_KEY);
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

    it('stores a webhook key from the modal sealed, shows it masked (kept but unused without PUBLIC_URL), refuses bad pastes, and forgets it on remove', async () => {
      const world = await createWorld(store);
      await world.startBot();
      const masked = `••••${WEBHOOK_KEY.slice(-4)}`;
      expect(await submitWebhookKey(world, `  ${WEBHOOK_KEY}\n`)).toBe(
        `Saved the webhook key ${masked}. This bot does not take Kie callbacks (its operator has not set \`PUBLIC_URL\`), so the key is kept but unused until they do.`,
      );
      expect(await storedWebhookKey(world)).toBe(WEBHOOK_KEY);
      const raw = await rawStoreText(world);
      expect(raw).toContain('webhookHmacKey');
      expect(raw).not.toContain(WEBHOOK_KEY);
      expect((await statusFields(world))['Webhook key']).toBe(
        `${masked}, kept but unused: this bot takes no Kie callbacks`,
      );

      // Bad pastes are refused with the reason, and the stored key stays as it was.
      expect(await submitWebhookKey(world, 'too-short')).toBe(
        'That does not look like a webhook key: it should be 16 to 256 characters long. Copy it again from kie.ai/settings. Nothing was saved.',
      );
      expect(await submitWebhookKey(world, 'two words pasted in a row')).toBe(
        'That does not look like a webhook key: it may only hold letters, digits and symbols, without spaces. Copy it again from kie.ai/settings. Nothing was saved.',
      );
      expect(await submitWebhookKey(world, KIE_KEY)).toBe(
        'That is this server’s Kie AI API key, not its webhook key. Copy the webhook HMAC key from kie.ai/settings. Nothing was saved.',
      );
      expect(await storedWebhookKey(world)).toBe(WEBHOOK_KEY);

      expect(await removeWebhookKey(world)).toBe(
        'The webhook key was removed. Kie’s callbacks for this server are no longer checked for a signature.',
      );
      expect(await storedWebhookKey(world)).toBeUndefined();
      expect((await statusFields(world))['Webhook key']).toBe('not needed: this bot takes no Kie callbacks');
      expect(await removeWebhookKey(world)).toBe('This server has no webhook key to remove.');

      leaksNowhere(world, WEBHOOK_KEY);
      world.discord.assertNoViolations();
    });

    it('refuses the webhook key command, its modal and its remove option to members without Manage Server', async () => {
      const world = await createWorld(store);
      await world.startBot();
      expect(await submitWebhookKey(world, WEBHOOK_KEY)).toContain('Saved the webhook key');
      const notAdmin = 'Only members with the Manage Server permission can change the bot’s setup.';
      for (const options of [[], [{ name: 'remove', type: 5, value: true }]]) {
        const command = setup(world, 'webhook-key', 'user', options);
        const answer = await world.discord.waitForRest(callbackOf(command));
        expect(answer.json).toMatchObject({ type: 4, data: { flags: 64, content: notAdmin } });
      }
      // A forged modal submit (Discord shows no modal to them, but a client can send one).
      const submit = world.discord.sendModalSubmit({
        customId: 'setup-webhook-key',
        fields: { 'webhook-key': 'someone-elses-webhook-key-000' },
        user: 'user',
      });
      const refused = await world.discord.waitForRest(callbackOf(submit));
      expect(refused.json).toMatchObject({ type: 4, data: { flags: 64, content: notAdmin } });
      expect(await storedWebhookKey(world)).toBe(WEBHOOK_KEY);
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
