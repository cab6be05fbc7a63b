import { describe, expect, it } from 'vitest';
import type { Interaction } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import { pngSize } from '../support/png.js';
import { useRedis } from '../support/redis.js';
import { createWorld, type World } from './harness.js';
import { contentOf, editOf, type Rest, setup } from './setup-steps.js';

const FAST = { steps: [], outcome: { kind: 'success' as const } };
const limits = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 10 };
const catPng = makePng(64, 36);
const UPLOADS = ['file-url-upload', 'file-stream-upload', 'file-base64-upload'] as const;
type Embed = { title?: string; fields?: Array<{ name: string; value: string }>; image?: { url: string } };
const embedsOf = (e: Rest) => (e.json as { embeds?: Embed[] }).embeds ?? [];
const fieldsOf = (e: Rest) =>
  Object.fromEntries((embedsOf(e)[0]?.fields ?? []).map((f) => [f.name, f.value]));

/** A member per job, so no limit but the budget stands between them. */
const member = (n: number) => ({ id: String(300_000_000_000_000_000n + BigInt(n)) });

function animate(world: World, n: number, takes?: number): Interaction {
  const png = world.discord.seedAttachment('cat.png', 'image/png', catPng, { width: 64, height: 36 });
  return world.discord.sendSlashCommand({
    name: 'animate',
    user: member(n),
    options: [
      { name: 'image', type: 11, value: png.id },
      { name: 'prompt', type: 3, value: `the cat waves, take ${n}` },
      ...(takes === undefined ? [] : [{ name: 'takes', type: 4, value: takes }]),
    ],
  });
}

async function setBudget(world: World, credits: number): Promise<string> {
  const command = setup(world, 'budget', 'admin', [{ name: 'credits', type: 4, value: credits }]);
  return contentOf(await world.discord.waitForRest(editOf(command), 10_000));
}

/** Waits until the bot logged every one of these jobs delivered (its usage entry is written by then). */
async function deliveredCount(world: World, count: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (world.bot.logs.filter((line) => line.msg === 'job delivered').length < count) {
    if (Date.now() > end) throw new Error(`fewer than ${count} jobs were recorded delivered`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const stores = [
  { name: 'SQLite', store: 'sqlite' as const, enabled: async () => true },
  { name: 'Redis', store: 'redis' as const, enabled: useRedis },
];

for (const backend of stores) {
  describe.runIf(await backend.enabled())(`monthly budget and usage on ${backend.name}`, () => {
    it('refuses a job whose estimate crosses the budget with no upload and no createTask, also after a restart', async () => {
      const world = await createWorld(backend.store, { script: FAST }, { limits });
      await world.startBot();
      expect(await setBudget(world, 100)).toBe(
        'Monthly budget saved: 100 credits, starting again on day 1 of each month (UTC).',
      );
      const now = new Date();
      const resets = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) / 1000;
      const refusal =
        'This would cost about 120 credits, more than is left of this server’s monthly budget (100 of 100 credits). ' +
        `Nothing was spent. The budget starts again <t:${resets}:f>.`;

      // Four takes of a 30-credit video: an estimate of 120.
      const first = animate(world, 1, 4);
      const refused = await world.discord.waitForRest(
        (e) => editOf(first)(e) && contentOf(e).includes('monthly budget'),
        15_000,
      );
      expect(contentOf(refused)).toBe(refusal);
      expect(world.kie.count('createTask')).toBe(0);
      for (const route of UPLOADS) expect(world.kie.count(route)).toBe(0);

      await world.startBot();
      const again = animate(world, 2, 4);
      const refusedAgain = await world.discord.waitForRest(
        (e) => editOf(again)(e) && contentOf(e).includes('monthly budget'),
        15_000,
      );
      expect(contentOf(refusedAgain)).toBe(refusal);
      expect(world.kie.count('createTask')).toBe(0);
      for (const route of UPLOADS) expect(world.kie.count(route)).toBe(0);
      world.discord.assertNoViolations();
    });

    it('charts three jobs’ usage with totals equal to their recorded credits, and keeps it over a restart', async () => {
      const world = await createWorld(backend.store, {}, { limits });
      await world.startBot();
      await setBudget(world, 1000);
      world.kie.scriptNext(
        { ...FAST, creditsConsumed: 82.5 },
        { ...FAST, creditsConsumed: 'absent' },
        { ...FAST, creditsConsumed: 'absent' },
      );
      const costs: string[] = [];
      for (const n of [1, 2, 3]) {
        const job = animate(world, n);
        const video = await world.discord.waitForRest((e) => editOf(job)(e) && e.files.length > 0, 20_000);
        costs.push(fieldsOf(video).Cost ?? fieldsOf(video)['Estimated cost'] ?? '');
      }
      await deliveredCount(world, 3);
      // What each reply says the job cost: Kie's figure, else the estimate.
      expect(costs[0]).toBe('82.5 credits (charged by Kie AI)');
      const estimates = costs
        .slice(1)
        .map((cost) => Number(cost.match(/^about (\d+(?:\.\d+)?) credits$/)?.[1]));
      const recorded = 82.5 + (estimates[0] ?? Number.NaN) + (estimates[1] ?? Number.NaN);
      const estimated = (estimates[0] ?? Number.NaN) + (estimates[1] ?? Number.NaN);

      await world.startBot();
      const usage = setup(world, 'usage', 'admin', [{ name: 'period', type: 3, value: '7d' }]);
      const answer = await world.discord.waitForRest((e) => editOf(usage)(e) && e.files.length > 0, 20_000);
      const chart = answer.files[0];
      expect(chart?.name).toBe('usage.png');
      expect(pngSize(chart?.bytes ?? Buffer.alloc(0))).toEqual({ width: 1000, height: 500 });
      expect(embedsOf(answer)[0]).toMatchObject({
        title: 'Usage · last 7 days',
        image: { url: 'attachment://usage.png' },
      });
      const table = fieldsOf(answer);
      expect(table.Totals).toBe(
        `${recorded} credits over 3 jobs (${estimated} credits estimated) · 3 videos · success rate 100 %`,
      );
      expect(table['Top members by videos']?.split('\n')).toHaveLength(3);
      expect(table['Median time to video, per model']).toMatch(/ — \d+ s \(3 videos\)$/);

      const status = setup(world, 'status');
      const shown = fieldsOf(await world.discord.waitForRest(editOf(status), 10_000));
      expect(shown['Monthly budget']).toContain(`${recorded} of 1000 credits spent`);
      expect(shown['Monthly budget']).toContain(`${estimated} of it estimated`);
      world.discord.assertNoViolations();
    });
  });
}
