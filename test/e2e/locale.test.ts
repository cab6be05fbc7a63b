import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../src/services/models/registry.js';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import { createWorld, type World } from './harness.js';

const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 20 };
/** Fields that hold ids, links and file names, never words for the member. */
const MACHINE_KEYS = new Set([
  'id',
  'custom_id',
  'url',
  'proxy_url',
  'filename',
  'content_type',
  'parse',
  'users',
  'roles',
  'nonce',
]);
/** Names that stay as they are in every language. */
const NAMES = [
  'Kie AI',
  'Discord',
  ...createModelRegistry()
    .list()
    .map((model) => model.label),
].sort((a, b) => b.length - a.length);

const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
const editOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');

/** Every string the bot sent under a member-facing key, with where it was. */
function wordsIn(node: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof node === 'string') return [{ path, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, index) => wordsIn(item, `${path}[${index}]`));
  if (node && typeof node === 'object') {
    // A menu option's value is an id (a model's); an embed field's value is words.
    const machine = (key: string) =>
      MACHINE_KEYS.has(key) || (key === 'value' && /options\[\d+\]$/.test(path));
    return Object.entries(node).flatMap(([key, value]) =>
      machine(key) ? [] : wordsIn(value, path ? `${path}.${key}` : key),
    );
  }
  return [];
}

/** What is left of a text once links, mentions, timestamps, job ids and names are taken out. */
function withoutAllowed(text: string): string {
  let rest = text
    .replace(/https?:\/\/[^\s)]+/g, '')
    .replace(/<(@[!&]?|#)\d+>/g, '')
    .replace(/<t:\d+(:[tTdDfFR])?>/g, '')
    .replace(/`[a-z0-9]{8,32}`/g, '');
  for (const name of NAMES) rest = rest.split(name).join('');
  return rest;
}

/** The payloads the bot sent for these interactions: callbacks, edits and follow-ups. */
function sentFor(world: World, interactions: Interaction[]): RestLogEntry[] {
  return world.discord.log.filter(
    (e) => e.method !== 'GET' && e.json !== undefined && interactions.some((i) => e.route.includes(i.token)),
  );
}

/** The finished reply as Discord holds it: what a client renders. */
function recorded(message: MessageObject | undefined) {
  return {
    content: message?.content,
    embeds: message?.embeds,
    components: message?.components,
    attachments: message?.attachments.map(({ filename, size, content_type }) => ({
      filename,
      size,
      content_type,
    })),
  };
}

/** Every button's label, and a menu's placeholder. */
const labelsOf = (message: MessageObject | undefined) =>
  (
    (message?.components ?? []) as Array<{ components: Array<{ label?: string; placeholder?: string }> }>
  ).flatMap((row) => row.components.map((component) => component.label ?? component.placeholder));

async function finishedJob(world: World, locale: string, prompt: string) {
  const interaction = world.animate({ locale, prompt });
  const deferred = await world.discord.waitForRest(callbackOf(interaction));
  expect(deferred.json).toMatchObject({ type: 5 });
  const status = await world.discord.waitForRest(
    (e) =>
      editOf(interaction)(e) &&
      Array.isArray((e.json as { embeds?: unknown[] }).embeds) &&
      (e.json as { embeds: unknown[] }).embeds.length > 0,
    15_000,
  );
  await world.discord.waitForRest((e) => editOf(interaction)(e) && e.files.length > 0, 20_000);
  return { interaction, status, reply: world.discord.original(interaction) };
}

function printReply(locale: string, reply: MessageObject | undefined, status: RestLogEntry) {
  console.log(
    [
      `===== FINISHED REPLY (${locale}) as the Discord stand-in recorded it =====`,
      JSON.stringify(recorded(reply), null, 2),
      `===== STATUS EMBED (${locale}) as the bot sent it while the job ran =====`,
      JSON.stringify(status.json, null, 2),
      `===== END (${locale}) =====`,
    ].join('\n'),
  );
}

describe('the language of what the bot sends', () => {
  it('gives a zh-CN interaction Chinese text everywhere: status, finished reply, buttons, modal, job list', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const { interaction, status, reply } = await finishedJob(world, 'zh-CN', '猫咪向镜头挥手');
    printReply('zh-CN', reply, status);

    const labels = labelsOf(reply);
    expect(labels).toEqual(['改写', '再来一次', '打开视频', '删除', '换个模型试试…']);
    expect(reply?.content).toMatch(/\p{Script=Han}/u);

    const remix = world.discord.sendButton({
      customId: `remix:${/remix:([a-z0-9]+)/.exec(JSON.stringify(reply?.components))?.[1]}`,
      locale: 'zh-CN',
      messageId: reply?.id ?? '',
    });
    await world.discord.waitForRest(callbackOf(remix));
    expect(world.discord.modal(remix)).toMatchObject({ title: '改写：修改提示词' });

    const jobs = world.discord.sendSlashCommand({ name: 'animate-jobs', locale: 'zh-CN' });
    const list = await world.discord.waitForRest(editOf(jobs), 10_000);
    expect(JSON.stringify(list.json)).toContain('你最近的视频');
    const refused = world.discord.sendSlashCommand({
      name: 'animate-jobs',
      locale: 'zh-CN',
      options: [{ name: 'scope', type: 3, value: 'server' }],
    });
    await world.discord.waitForRest(callbackOf(refused));

    const sent = sentFor(world, [interaction, remix, jobs, refused]);
    expect(sent.length).toBeGreaterThanOrEqual(6);
    const withVideo = sent.filter((e) => e.files.length > 0).map((e) => e.json as { content?: string });
    expect(withVideo).toHaveLength(1);
    expect(withVideo[0]?.content).toMatch(/\p{Script=Han}/u);
    const english = sent.flatMap((e) =>
      wordsIn(e.json)
        .filter(({ text }) => /[A-Za-z]{2,}/.test(withoutAllowed(text)))
        .map(({ path, text }) => `${e.method} ${e.route.replace(/\/[\w-]{60,}/, '/…')} ${path}: ${text}`),
    );
    expect(english).toEqual([]);
    world.discord.assertNoViolations();
  });

  it('gives an en-US interaction English text, with no Chinese', async () => {
    const world = await createWorld('sqlite', {}, { limits });
    await world.startBot();
    const { interaction, status, reply } = await finishedJob(world, 'en-US', 'the cat waves at the camera');
    printReply('en-US', reply, status);
    const labels = labelsOf(reply);
    expect(labels).toEqual(['Remix', 'Again', 'Open video', 'Delete', 'Try another model…']);
    const chinese = sentFor(world, [interaction]).flatMap((e) =>
      wordsIn(e.json).filter(({ text }) => /\p{Script=Han}/u.test(text)),
    );
    expect(chinese).toEqual([]);
    world.discord.assertNoViolations();
  });
});
