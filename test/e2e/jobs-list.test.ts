import { describe, expect, it } from 'vitest';
import type { Interaction, RestLogEntry, UserChoice } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import type { TaskScript } from '../support/kie/types.js';
import { createWorld, type World } from './harness.js';

const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
const neverEnds: TaskScript = { steps: [], outcome: { kind: 'never' } };
/** The member's jobs, oldest first; the first two never finish. */
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];

type ListBody = {
  content?: string;
  embeds?: Array<{ title?: string; description?: string; footer?: { text?: string } }>;
  components?: Array<{ components: Array<{ label?: string; custom_id?: string; disabled?: boolean }> }>;
  allowed_mentions?: unknown;
  flags?: number;
};

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a job and waits until Kie has it, so jobs are created in a known order. */
async function startJob(world: World, prompt: string, user: UserChoice = 'user'): Promise<Interaction> {
  const before = world.kie.count('createTask');
  const image = world.discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
    width: 64,
    height: 36,
  });
  const interaction = world.discord.sendSlashCommand({
    name: 'animate',
    user,
    options: [
      { name: 'image', type: 11, value: image.id },
      { name: 'prompt', type: 3, value: prompt },
    ],
  });
  await until(() => world.kie.count('createTask') > before);
  return interaction;
}

/** Runs /animate-jobs and returns the list it showed (deferred ephemeral, then edited in). */
async function listJobs(world: World, user: UserChoice, scope?: 'mine' | 'server') {
  const interaction = world.discord.sendSlashCommand({
    name: 'animate-jobs',
    user,
    options: scope ? [{ name: 'scope', type: 3, value: scope }] : [],
  });
  const deferred = await world.discord.waitForRest(callbackOf(interaction));
  expect(deferred.json).toMatchObject({ type: 5, data: { flags: 64 } });
  const body = (await world.discord.waitForRest(editOf(interaction), 10_000)).json as ListBody;
  return { interaction, body, messageId: world.discord.original(interaction)?.id ?? '' };
}

/** Presses a page button on the list message; the bot updates the message in place. */
async function turnPage(world: World, user: UserChoice, customId: string, messageId: string) {
  const press = world.discord.sendButton({ customId, user, messageId });
  const answer = (await world.discord.waitForRest(callbackOf(press))).json as {
    type: number;
    data: ListBody;
  };
  return answer;
}

const promptsIn = (body: ListBody) =>
  [...(body.embeds?.[0]?.description ?? '').matchAll(/job (\w+)/g)].map((match) => match[1]);
const linesOf = (body: ListBody) => body.embeds?.[0]?.description?.split('\n') ?? [];

describe('/animate-jobs end to end on sqlite', () => {
  it("lists a member's own jobs newest first, 5 a page, and the server's running jobs for an admin", async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    world.kie.scriptNext(neverEnds, neverEnds);
    const mine: Interaction[] = [];
    for (const name of NAMES) mine.push(await startJob(world, `job ${name}`));
    world.kie.scriptNext(neverEnds);
    const adminJob = await startJob(world, 'job admin', 'admin');
    await until(
      () => world.discord.log.filter((e) => e.files.length > 0).length === NAMES.length - 2,
      20_000,
    );
    // The reply carries the video a moment before the record says so: wait for the record too.
    await until(
      () => world.bot.logs.filter((line) => line.msg === 'job delivered').length === NAMES.length - 2,
      10_000,
    );

    // The member's own jobs, newest first, five a page.
    const list = await listJobs(world, 'user');
    expect(list.body.embeds?.[0]?.title).toBe('Your recent videos');
    expect(list.body.allowed_mentions).toStrictEqual({ parse: [] });
    expect(promptsIn(list.body)).toEqual(['golf', 'foxtrot', 'echo', 'delta', 'charlie']);
    expect(list.body.embeds?.[0]?.footer?.text).toBe('Page 1 of 2');
    const golf = mine[6] as Interaction;
    const golfReply = world.discord.original(golf)?.id;
    const [line] = linesOf(list.body);
    expect(line).toMatch(
      new RegExp(
        `^done · <t:\\d+:R> · job golf · \\[reply\\]\\(https://discord\\.com/channels/${world.guildId}/${golf.channelId}/${golfReply}\\)$`,
      ),
    );
    const stamp = Number(line?.match(/<t:(\d+):R>/)?.[1]) * 1000;
    expect(Math.abs(stamp - golf.createdAt)).toBeLessThan(30_000);
    expect(list.body.components?.[0]?.components).toMatchObject([
      { label: 'Previous', custom_id: 'jobs-page:mine:1', disabled: true },
      { label: 'Next', custom_id: 'jobs-page:mine:2', disabled: false },
    ]);

    const next = await turnPage(world, 'user', 'jobs-page:mine:2', list.messageId);
    expect(next.type).toBe(7);
    expect(promptsIn(next.data)).toEqual(['bravo', 'alpha']);
    expect(linesOf(next.data).every((text) => text.startsWith('generating · '))).toBe(true);
    expect(next.data.embeds?.[0]?.footer?.text).toBe('Page 2 of 2');
    expect(next.data.components?.[0]?.components).toMatchObject([
      { custom_id: 'jobs-page:mine:1', disabled: false },
      { custom_id: 'jobs-page:mine:2', disabled: true },
    ]);
    const previous = await turnPage(world, 'user', 'jobs-page:mine:1', list.messageId);
    expect(promptsIn(previous.data)).toEqual(['golf', 'foxtrot', 'echo', 'delta', 'charlie']);
    expect(world.discord.original(list.interaction)?.flags ?? 0).toBe(64);

    // The admin's own list holds only the admin's job.
    const adminOwn = await listJobs(world, 'admin');
    expect(promptsIn(adminOwn.body)).toEqual(['admin']);
    expect(adminOwn.body.components).toEqual([]);

    // The server's running jobs, newest first, with their owners.
    const server = await listJobs(world, 'admin', 'server');
    expect(server.body.embeds?.[0]?.title).toBe('Videos in progress on this server');
    expect(promptsIn(server.body)).toEqual(['admin', 'bravo', 'alpha']);
    expect(linesOf(server.body)[0]).toMatch(new RegExp(`^<@${adminJob.userId}> · `));
    expect(linesOf(server.body)[1]).toMatch(new RegExp(`^<@${golf.userId}> · generating · `));
    world.discord.assertNoViolations();
  }, 90_000);

  it('refuses the server scope to a member without Manage Server, on the command and on a page button', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const expected =
      'Only members with the Manage Server permission can see the server’s videos in progress. Leave out `scope` to see your own.';

    const asked = world.discord.sendSlashCommand({
      name: 'animate-jobs',
      user: 'user',
      options: [{ name: 'scope', type: 3, value: 'server' }],
    });
    expect((await world.discord.waitForRest(callbackOf(asked))).json).toMatchObject({
      type: 4,
      data: { flags: 64, content: expected },
    });
    const pressed = world.discord.sendButton({ customId: 'jobs-page:server:2', user: 'user' });
    expect((await world.discord.waitForRest(callbackOf(pressed))).json).toMatchObject({
      type: 4,
      data: { flags: 64, content: expected },
    });

    const empty = await listJobs(world, 'user');
    expect(empty.body).toMatchObject({
      content: 'You have not made any videos on this server yet.',
      embeds: [],
      components: [],
    });
    const none = await listJobs(world, 'admin', 'server');
    expect(none.body.content).toBe('No videos are in progress on this server.');
    world.discord.assertNoViolations();
  });
});
