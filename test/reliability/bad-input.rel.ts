import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/services/i18n/index.js';
import type { Interaction } from '../support/discord/stand-in.js';
import type { BadInputContext } from './bad-input-case.js';
import { commandInputs } from './bad-input-commands.js';
import { componentInputs } from './bad-input-components.js';

const badInputs = [...commandInputs, ...componentInputs];

import { callbackOf, contentOf, judge, writesFor } from './outcomes.js';
import { SectionReport } from './report.js';
import { until } from './sizes.js';
import { readJobs } from './store-reader.js';
import { newMember, RelWorld } from './world.js';

const report = new SectionReport('5 bad input');
const GENERIC = ['en-US', 'zh-CN'].map(
  (locale) =>
    new RegExp(
      translate(locale, 'error.generic', { ref: 'REF' })
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace('REF', '[0-9a-f]+'),
    ),
);

let world: RelWorld;
let ctx: BadInputContext;

/** The interaction's answer: a direct reply, or the deferred reply's edit; '' when it never came. */
async function answerOf(interaction: Interaction): Promise<{ acked: boolean; text: string }> {
  const acked = await until(() => callbackOf(world.discord, interaction) !== undefined, 8_000, 100);
  if (!acked) return { acked, text: '' };
  const text = () => {
    const callback = callbackOf(world.discord, interaction)?.json as {
      type?: number;
      data?: { content?: string };
    };
    if (callback?.type === 4 || callback?.type === 7) return callback.data?.content ?? '';
    return contentOf(
      writesFor(world.discord, interaction)
        .filter((e) => contentOf(e) !== '')
        .at(-1) ?? ({} as never),
    );
  };
  await until(() => text() !== '', 30_000, 100);
  return { acked, text: text() };
}

beforeAll(async () => {
  world = await RelWorld.create({ guilds: 2 });
  await world.startBot(120_000);
  // One real, finished job in guild 1, for the foreign and forged buttons.
  const owner = newMember();
  const interaction = world.animate({ guild: 1, user: owner });
  await until(
    async () => judge(world.discord, interaction, await readJobs(world.env)).kind === 'delivered',
    90_000,
    500,
  );
  const [job] = (await readJobs(world.env)).filter((j) => j.interactionId === interaction.id);
  if (!job) throw new Error('the setup job was not recorded');
  ctx = { world, jobId: job.id, owner, stranger: newMember() };
}, 300_000);

afterAll(async () => {
  if (world) {
    const createTasks = world.kieCount(0, 'createTask');
    const setupTasks = world.kieCount(1, 'createTask');
    const uploads = world.kie.requests.filter(
      (r) => r.apiKey === world.guild(0).key && r.route.startsWith('file-'),
    ).length;
    report.note(
      `Kie createTask from the bad inputs: ${createTasks + setupTasks - 1} (guild 0: ${createTasks}; guild 1: ${setupTasks} incl. the one real setup job); image uploads to Kie: ${uploads}`,
    );
    report.crashes = world.crashes().length;
    await world.close();
  }
  report.save();
});

describe('bad input corpus', () => {
  it('has at least 30 cases', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of badInputs) {
    const test = c.finding ? it.fails : it;
    test(`${c.id} ${c.name}: a specific answer, no Kie task`, async () => {
      report.cases += 1;
      report.faults += 1;
      const before = world.kieCount(0, 'createTask') + world.kieCount(1, 'createTask');
      const { acked, text } = await answerOf(c.send(ctx));
      report.note(`${c.id}: ${acked ? `“${text.slice(0, 140)}”` : 'no answer at all'}`);
      try {
        if ('text' in c.expect) expect(text).toBe(c.expect.text.replace('<@OWNER>', `<@${ctx.owner}>`));
        else {
          expect(text, 'an answer').not.toBe('');
          for (const generic of GENERIC) expect(text).not.toMatch(generic);
        }
        expect(
          world.kieCount(0, 'createTask') + world.kieCount(1, 'createTask') - before,
          'createTask calls',
        ).toBe(0);
        expect(world.bot.exitCode).toBeUndefined();
      } catch (error) {
        if (c.finding) report.finding(c.finding);
        throw error;
      }
    });
  }

  it('the bot never crashed and made no Kie task for any bad input', () => {
    expect(world.crashes()).toHaveLength(0);
    expect(world.kieCount(0, 'createTask')).toBe(0);
    expect(world.kieCount(1, 'createTask')).toBe(1);
  });
});
