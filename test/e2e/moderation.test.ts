import { describe, expect, it } from 'vitest';
import type { Interaction, MessageObject } from '../support/discord/stand-in.js';
import { useRedis } from '../support/redis.js';
import { createWorld, type World } from './harness.js';
import { callbackOf, contentOf, editOf } from './setup-steps.js';

/** No cooldown or daily cap: these tests start several jobs for one member within seconds. */
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
const OTHER_MEMBER = { id: '1300000000000000077' };
const REFUSED =
  'This prompt uses words this server does not allow, so nothing was made and no credits were spent. Please rephrase it.';

type Button = { custom_id?: string; label?: string };
const buttonsOf = (message: MessageObject | undefined): Button[] =>
  ((message?.components ?? []) as Array<{ components: Button[] }>).flatMap((row) => row.components);
const buttonId = (message: MessageObject | undefined, action: string) =>
  buttonsOf(message).find((button) => button.custom_id?.startsWith(`${action}:`))?.custom_id ?? '';

/** `/animate-setup blocklist <action> [words]` as the given member; the private answer. */
async function blocklist(world: World, action: string, words?: string, user: 'admin' | 'user' = 'admin') {
  const command = world.discord.sendSlashCommand({
    name: 'animate-setup',
    user,
    options: [
      {
        name: 'blocklist',
        type: 2,
        options: [
          {
            name: action,
            type: 1,
            options: words === undefined ? [] : [{ name: 'words', type: 3, value: words }],
          },
        ],
      },
    ],
  });
  const answer = await world.discord.waitForRest(
    (e) => editOf(command)(e) || (callbackOf(command)(e) && (e.json as { type: number }).type === 4),
    10_000,
  );
  return { command, answer, text: contentOf(answer) || JSON.stringify(answer.json) };
}

/**
 * Waits for the job's reply to carry the video and for the bot to record it delivered (a few
 * ms later), and returns the reply as Discord holds it.
 */
async function videoReply(world: World, interaction: Interaction): Promise<MessageObject> {
  await world.discord.waitForRest((e) => editOf(interaction)(e) && e.files.length > 0, 20_000);
  const end = Date.now() + 5_000;
  while (
    !world.bot.logs.some((line) => line.msg === 'job delivered' && line.jobId === jobIdOf(world, interaction))
  ) {
    if (Date.now() > end) throw new Error('the job was never recorded delivered');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return world.discord.original(interaction) as MessageObject;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const jobIdOf = (world: World, interaction: Interaction) =>
  buttonId(world.discord.original(interaction), 'again').split(':')[1];

/** Presses a button and returns Discord's callback for it. */
async function press(
  world: World,
  customId: string,
  messageId: string,
  user: 'user' | 'admin' | { id: string },
) {
  const interaction = world.discord.sendButton({ customId, user, messageId });
  const callback = await world.discord.waitForRest(callbackOf(interaction));
  return {
    interaction,
    callback: callback.json as { type: number; data?: { content?: string; flags?: number } },
  };
}

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`the blocklist end to end on ${store}`, () => {
    it('refuses a blocklisted prompt, also full-width, accented or in Cyrillic look-alikes, with 0 downloads, 0 uploads and 0 createTask, never naming the word', async () => {
      const world = await createWorld(store, {}, { limits });
      await world.startBot();
      const added = await blocklist(world, 'add', 'nsfw, nude, sex');
      expect(added.text).toBe('Added to the blocklist: `nsfw`, `nude`, `sex`. It now holds 3 entries.');

      const prompts = [
        ['a NSFW scene', 'nsfw'],
        ['a ｎｓｆｗ scene', 'nsfw'],
        ['a ñúdé statue', 'nude'],
        ['ѕех on the beach', 'sex'],
        ['a n.s.f.w scene', 'nsfw'],
      ] as const;
      for (const [prompt, word] of prompts) {
        const interaction = world.animate({ prompt });
        const answer = contentOf(await world.discord.waitForRest(editOf(interaction), 10_000));
        expect(answer).toBe(REFUSED);
        expect(answer.toLowerCase()).not.toContain(word);
      }
      expect(world.kie.count('createTask')).toBe(0);
      expect(world.kie.count('file-stream-upload')).toBe(0);
      expect(world.kie.requests.filter((request) => request.route !== 'models')).toEqual([]);
      // Not even the member's image was fetched from Discord's CDN.
      expect(world.discord.log.filter((e) => e.route.startsWith('/cdn/'))).toEqual([]);
      // The admins' log names the entry, never the member's reply.
      await until(
        () => world.bot.logs.filter((line) => line.msg === 'prompt refused by the blocklist').length === 5,
      );

      // Words that merely contain a blocked one pass.
      const fine = world.animate({ prompt: 'a class of bass players in Essex' });
      await videoReply(world, fine);
      expect(world.kie.count('createTask')).toBe(1);
      world.discord.assertNoViolations();
    }, 60_000);

    it('admins list and remove entries; members cannot touch the list; a Remix prompt is screened too', async () => {
      const world = await createWorld(store, {}, { limits });
      await world.startBot();
      const member = await blocklist(world, 'add', 'cat', 'user');
      expect(member.text).toContain('Only members with the Manage Server permission');

      const reply = await videoReply(world, world.animate({ prompt: 'the dog waves' }));
      await blocklist(world, 'add', 'nsfw, Bad Word');
      const listed = await blocklist(world, 'list');
      expect(listed.answer.json).toMatchObject({
        embeds: [{ title: 'Blocklist (2 of 100)', fields: [{ name: '1–2', value: '`nsfw`, `Bad Word`' }] }],
      });

      // Remix with a blocked phrase, written another way: refused, nothing sent to Kie.
      const remix = await press(world, buttonId(reply, 'remix'), reply.id, 'user');
      const modal = world.discord.modal(remix.interaction) as { custom_id: string };
      const submit = world.discord.sendModalSubmit({
        customId: modal.custom_id,
        fields: { prompt: 'the dog says BAD-WORD' },
        user: 'user',
        messageId: reply.id,
      });
      expect(contentOf(await world.discord.waitForRest(editOf(submit), 10_000))).toBe(REFUSED);
      expect(world.kie.count('createTask')).toBe(1);

      const removed = await blocklist(world, 'remove', 'ＮＳＦＷ, never there');
      expect(removed.text).toBe(
        'Removed from the blocklist: `nsfw`. It now holds 1 entries.\nNot on the blocklist: `never there`.',
      );
      await videoReply(world, world.animate({ prompt: 'nsfw' }));
      expect(world.kie.count('createTask')).toBe(2);
      world.discord.assertNoViolations();
    }, 60_000);
  });
}

describe('Delete on a finished video', () => {
  it('is refused to another member by name; its owner confirms (or keeps it) and the message is gone', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const interaction = world.animate();
    const reply = await videoReply(world, interaction);
    const deleteId = buttonId(reply, 'delete');
    expect(deleteId).toMatch(/^delete:[a-z0-9]{8,32}$/);

    const stranger = await press(world, deleteId, reply.id, OTHER_MEMBER);
    expect(stranger.callback).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: `Only <@${interaction.userId}> (or a server admin) can do that with this job.`,
      },
    });
    expect(world.discord.messages.has(reply.id)).toBe(true);

    const asked = await press(world, deleteId, reply.id, 'user');
    expect(asked.callback).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: 'Delete this video? The message is removed for everyone; this cannot be undone.',
      },
    });
    const question = world.discord.original(asked.interaction) as MessageObject;
    const kept = await press(world, 'delete-no', question.id, 'user');
    expect(kept.callback).toMatchObject({
      type: 7,
      data: { content: 'Nothing was deleted.', components: [] },
    });
    expect(world.discord.messages.has(reply.id)).toBe(true);

    const again = await press(world, deleteId, reply.id, 'user');
    const confirmQuestion = world.discord.original(again.interaction) as MessageObject;
    const yes = await press(world, buttonId(confirmQuestion, 'delete-yes'), confirmQuestion.id, 'user');
    expect(yes.callback).toMatchObject({ type: 6 });
    const done = await world.discord.waitForRest(editOf(yes.interaction), 10_000);
    expect(contentOf(done)).toBe('The video was deleted.');
    expect(world.discord.messages.has(reply.id)).toBe(false);
    // While the command's token lives, through its webhook (no bot token needed).
    expect(
      world.discord.log
        .filter((e) => e.method === 'DELETE')
        .map((e) => e.route.replace(/\/webhooks\/\d+\/[^/]+/, '/webhooks/…')),
    ).toEqual(['/webhooks/…/messages/@original']);
    world.discord.assertNoViolations();
  });

  it('lets a server admin delete a member’s video', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const reply = await videoReply(world, world.animate());
    const asked = await press(world, buttonId(reply, 'delete'), reply.id, 'admin');
    const question = world.discord.original(asked.interaction) as MessageObject;
    const yes = await press(world, buttonId(question, 'delete-yes'), question.id, 'admin');
    expect(contentOf(await world.discord.waitForRest(editOf(yes.interaction), 10_000))).toBe(
      'The video was deleted.',
    );
    expect(world.discord.messages.has(reply.id)).toBe(false);
    world.discord.assertNoViolations();
  });
});
