// Ack latency under a burst of /animate interactions: INTERACTION_CREATE sent → defer received,
// the real bot (src/index.ts as a child process) against a floor measured in the same run: a bare
// discord.js client whose only work is deferReply(). The Kie stand-in runs in a third process.
// `npm run bench ack [-- --interactions 500 --rounds 1 --store sqlite|redis --quick]`.
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BotProcess, seedGuildKey } from '../../test/support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../../test/support/discord/stand-in.js';
import { makePng } from '../../test/support/images.js';
import { KieChild, spawnTs } from './support/kie-remote.js';
import {
  load,
  machine,
  percentile,
  round,
  sleep,
  snowflakeAt,
  stopBot,
  summarize,
  table,
  waitUntil,
} from './support/report.js';
import { benchStore, botEnv, storeKind } from './support/store.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    store: { type: 'string', default: 'sqlite' },
    quick: { type: 'boolean', default: false },
  },
  strict: false,
});
const count = Number(values.interactions ?? (values.quick ? 50 : 500));
const rounds = Number(values.rounds);
const store = storeKind(values.store);
/** A server runs at most 100 jobs at once (the settings' ceiling): 100 interactions per server, one Kie key each. */
const PER_GUILD = 100;
const guilds = Math.ceil(count / PER_GUILD);
const keyOf = (guild: number) => `kie-bench-ack-key-${String(guild).padStart(4, '0')}`;

interface Figures {
  label: string;
  latencies: number[];
  acked: number;
  late: number;
  load: string;
  /** Event-loop delay of this process, which hosts the Discord stand-in, during the burst (ms). */
  standInDelayMax: number;
}

/** A few interactions one at a time in the spare last server, so neither client is measured cold. */
async function warmUp(discord: DiscordStandIn): Promise<void> {
  const attachment = discord.seedAttachment('warm.png', 'image/png', makePng(32, 32), {
    width: 32,
    height: 32,
  });
  for (let i = 0; i < 5; i += 1) {
    const interaction = discord.sendSlashCommand({
      name: 'animate',
      guild: guilds,
      user: { id: snowflakeAt(Date.now() - 500 * 24 * 3600_000, i + 1) },
      options: [
        { name: 'image', type: 11, value: attachment.id },
        { name: 'prompt', type: 3, value: `warm-up ${i}` },
      ],
    });
    await discord.waitForRest(
      (e) => e.route === `/interactions/${interaction.id}/${interaction.token}/callback`,
      30_000,
    );
    await sleep(200);
  }
  await sleep(1000);
}

/** Sends `count` /animate interactions at once, each from another member; resolves with each one's ack latency. */
async function burst(discord: DiscordStandIn, label: string): Promise<Figures> {
  const attachment = discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
    width: 64,
    height: 36,
  });
  const userEpoch = Date.now() - 400 * 24 * 3600_000;
  const before = load();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const sent = Array.from({ length: count }, (_, i) =>
    discord.sendSlashCommand({
      name: 'animate',
      guild: Math.floor(i / PER_GUILD),
      user: { id: snowflakeAt(userEpoch, i + 1) },
      options: [
        { name: 'image', type: 11, value: attachment.id },
        { name: 'prompt', type: 3, value: `burst ${i}` },
      ],
    }),
  );
  const byRoute = new Map(sent.map((i) => [`/interactions/${i.id}/${i.token}/callback`, i]));
  const latencies: number[] = [];
  let seen = 0;
  const collect = () => {
    for (; seen < discord.log.length; seen += 1) {
      const entry = discord.log[seen];
      const interaction = entry && byRoute.get(entry.route);
      if (interaction && entry.method === 'POST') latencies.push(entry.at - interaction.sentAt);
    }
    return latencies.length >= count;
  };
  await waitUntil(collect, 60_000, 20);
  delay.disable();
  return {
    label,
    latencies,
    acked: latencies.length,
    late: latencies.filter((ms) => ms > 3000).length,
    load: before,
    standInDelayMax: delay.max / 1e6,
  };
}

async function floorRound(): Promise<Figures> {
  const discord = await startDiscordStandIn({ guilds: guilds + 1 });
  const child: ChildProcess = spawnTs(
    'scripts/bench/support/bare-client.js',
    [],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.restApi,
    },
    'pipe',
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare client ended (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  await warmUp(discord);
  const figures = await burst(discord, 'floor: bare discord.js client, deferReply() only');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await discord.close();
  return figures;
}

async function botRound(kieUrl: string): Promise<Figures> {
  const discord = await startDiscordStandIn({ guilds: guilds + 1 });
  const where = await benchStore(store);
  const env = botEnv(where, { discord: discord.restApi, kie: kieUrl, token: discord.token });
  for (const [index, guild] of discord.ids.guilds.entries()) {
    await seedGuildKey(env, guild.id, keyOf(index), {
      cooldownSeconds: 0,
      perMemberPerDay: null,
      maxRunning: PER_GUILD,
    });
  }
  const bot = new BotProcess(env).start();
  await bot.waitForMessage('bot ready', 60_000);
  await warmUp(discord);
  const figures = await burst(discord, `bot: src/index.ts (${store} store)`);
  const errors = bot.logs.filter((line) => line.level >= 50).length;
  if (errors > 0) console.log(`(bot logged ${errors} error lines during the burst)`);
  if (!(await stopBot(bot, where.namespace)))
    console.log('(the bot had not exited 15 s after SIGTERM; killed: a bug in src, not in this figure)');
  await discord.close();
  await where.dispose();
  return figures;
}

console.log(`# Ack latency: burst of ${count} /animate interactions over ${guilds} server(s)`);
console.log(machine());
const kie = await KieChild.start({
  keys: Object.fromEntries(Array.from({ length: guilds + 1 }, (_, g) => [keyOf(g), 1_000_000_000])),
  script: { steps: [], outcome: { kind: 'never' } },
  fetchImages: false,
});
const results: Figures[] = [];
for (let r = 0; r < rounds; r += 1) {
  results.push(await floorRound());
  results.push(await botRound(kie.url));
}
await kie.close();

table(
  [
    'client',
    'acked',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'over 3 s',
    'stand-in loop stall max ms',
    'load at the burst',
  ],
  results.map((f) => [
    f.label,
    `${f.acked}/${count}`,
    percentile(f.latencies, 50),
    percentile(f.latencies, 90),
    percentile(f.latencies, 99),
    Math.max(...f.latencies),
    f.late,
    round(f.standInDelayMax),
    f.load,
  ]),
);
const ratios: number[] = [];
for (let r = 0; r < rounds; r += 1) {
  const floor = results[2 * r];
  const bot = results[2 * r + 1];
  if (!floor || !bot) continue;
  const ratio = percentile(bot.latencies, 99) / percentile(floor.latencies, 99);
  ratios.push(ratio);
  const p50 = percentile(bot.latencies, 50) / percentile(floor.latencies, 50);
  console.log(`round ${r + 1}: bot / floor p99 = ${round(ratio, 2)}×, p50 = ${round(p50, 2)}×`);
}
const pooled = (label: 'floor' | 'bot') =>
  results.filter((f) => f.label.startsWith(label)).flatMap((f) => f.latencies);
console.log(
  `median of the rounds' p99 ratios: ${round(percentile(ratios, 50), 2)}× (target ≤ 1.2×); ` +
    `all rounds pooled: p50 ${percentile(pooled('bot'), 50)} vs ${percentile(pooled('floor'), 50)} ms, ` +
    `p99 ${percentile(pooled('bot'), 99)} vs ${percentile(pooled('floor'), 99)} ms ` +
    `(${round(percentile(pooled('bot'), 99) / percentile(pooled('floor'), 99), 2)}×)`,
);
summarize({
  target: `ack p99 under a burst of ${count} (${store}) ≤ 1.2× bare defer, median of ${rounds} rounds`,
  figure: `${percentile(pooled('bot'), 99)} ms`,
  floor: `${percentile(pooled('floor'), 99)} ms`,
  ratio: `${round(percentile(ratios, 50), 2)}×`,
  met: percentile(ratios, 50) <= 1.2,
  note: `pooled ${round(percentile(pooled('bot'), 99) / percentile(pooled('floor'), 99), 2)}×`,
});
