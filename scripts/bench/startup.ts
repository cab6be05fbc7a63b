// Start-up: process spawned → gateway IDENTIFY received by the Discord stand-in, for `npm start`
// (npm, the prestart preflight, then node dist/index.js), `node dist/index.js` alone, and the
// floor measured in the same run: a bare discord.js client (support/bare-client.js) doing the same.
// Rounds run the variants one after the other; the figure is the median of the rounds' ratios.
// `npm run bench startup [-- --rounds 9 --quick]`; BENCH_NODE_ARGS (e.g. `--cpu-prof
// --cpu-prof-dir=/tmp/prof`) goes to the node variants, for diagnosis. Needs a build (npm run build).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDiscordStandIn } from '../../test/support/discord/stand-in.js';
import { load, machine, percentile, round, sleep, summarize, table, waitUntil } from './support/report.js';
import { benchStore } from './support/store.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
  strict: false,
});
const rounds = Number(values.rounds ?? (values.quick ? 3 : 9));
const TARGET = 1.3;

interface Variant {
  label: string;
  command: (env: NodeJS.ProcessEnv) => { file: string; args: string[] };
  /** Whether it is the bot (gets the bot's environment and a store). */
  bot: boolean;
}

const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

const VARIANTS: Variant[] = [
  {
    label: 'floor: bare discord.js client',
    command: () => ({ file: process.execPath, args: [...nodeArgs, 'scripts/bench/support/bare-client.js'] }),
    bot: false,
  },
  {
    label: 'bot: node dist/index.js',
    command: () => ({ file: process.execPath, args: [...nodeArgs, 'dist/index.js'] }),
    bot: true,
  },
  {
    label: 'bot: npm start',
    // npm as the user runs it, the first on PATH (under .ci/with-node, on that node).
    command: () => ({ file: 'npm', args: ['start', '--silent'] }),
    bot: true,
  },
];

interface Sample {
  /** Spawn → first REST request (GET /gateway/bot) at the stand-in, ms. */
  firstRequest: number;
  /** Spawn → IDENTIFY at the stand-in's gateway, ms. */
  identify: number;
}

async function once(variant: Variant): Promise<Sample> {
  const discord = await startDiscordStandIn({ guilds: 1 });
  const where = variant.bot ? await benchStore('sqlite') : undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.restApi,
    ...(where
      ? {
          KIE_API_URL: 'http://127.0.0.1:9',
          KIE_UPLOAD_URL: 'http://127.0.0.1:9',
          STORE_URL: where.url,
          STORE_NAMESPACE: where.namespace,
          DATA_DIR: where.dataDir,
          ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          LOG_LEVEL: 'info',
        }
      : {}),
  };
  const { file, args } = variant.command(env);
  const started = Date.now();
  // Its own process group, so that npm, its shell and the bot under it end together.
  const child: ChildProcess = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const identified = () => discord.frames.find((frame) => frame.dir === 'in' && frame.op === 2);
  const ok = await waitUntil(() => identified() !== undefined || child.exitCode !== null, 60_000, 2);
  const identify = identified();
  const first = discord.log[0];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.exitCode === null && child.pid) {
    process.kill(-child.pid, 'SIGTERM');
    const ended = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!ended) process.kill(-child.pid, 'SIGKILL');
  }
  await exited;
  await discord.close();
  await where?.dispose();
  if (!ok || !identify)
    throw new Error(`${variant.label}: no IDENTIFY within 60 s; its output:\n${output.slice(-3000)}`);
  return { identify: identify.at - started, firstRequest: first ? first.at - started : Number.NaN };
}

if (!existsSync('dist/index.js')) {
  console.log('no dist/ yet: run `npm run build` first');
  process.exit(1);
}
console.log(`# Start-up: spawned → gateway IDENTIFY, ${rounds} rounds`);
console.log(machine());
const loadBefore = load();
// One start of each, not measured, so that the file cache is warm for all of them.
for (const variant of VARIANTS) await once(variant);
const samples = VARIANTS.map(() => [] as Sample[]);
for (let r = 0; r < rounds; r += 1) {
  for (const [i, variant] of VARIANTS.entries()) {
    samples[i]?.push(await once(variant));
    await sleep(200);
  }
}
const loadAfter = load();

const med = (list: readonly Sample[], pick: (s: Sample) => number) => percentile(list.map(pick), 50);
const floor = samples[0] ?? [];
table(
  ['client', 'IDENTIFY p50 ms', 'min–max ms', 'first REST request p50 ms', 'median of rounds' + "' ratios"],
  VARIANTS.map((variant, i) => {
    const list = samples[i] ?? [];
    const ratios = list.map((s, r) => s.identify / (floor[r]?.identify ?? Number.NaN));
    return [
      variant.label,
      round(med(list, (s) => s.identify)),
      `${round(Math.min(...list.map((s) => s.identify)))}–${round(Math.max(...list.map((s) => s.identify)))}`,
      round(med(list, (s) => s.firstRequest)),
      `${round(percentile(ratios, 50), 2)}×`,
    ];
  }),
);
console.log(`${loadBefore} before, ${loadAfter} after`);

const ratioOf = (i: number) =>
  percentile(
    (samples[i] ?? []).map((s, r) => s.identify / (floor[r]?.identify ?? Number.NaN)),
    50,
  );
const floorMs = med(floor, (s) => s.identify);
for (const [i, label] of [
  [2, 'startup: `npm start` → IDENTIFY'],
  [1, 'startup: `node dist/index.js` → IDENTIFY'],
] as const) {
  const ratio = ratioOf(i);
  summarize({
    target: `${label} ≤ ${TARGET}× bare client`,
    figure: `${round(med(samples[i] ?? [], (s) => s.identify))} ms`,
    floor: `${round(floorMs)} ms`,
    ratio: `${round(ratio, 2)}×`,
    met: ratio <= TARGET,
  });
}
