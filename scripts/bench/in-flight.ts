// Jobs in flight: 10,000 jobs tracked at once by one process (the real JobStore, KieClient, job
// step and JobTracker, in tracker-child.ts), polling Kie tasks that stay `generating` in the Kie
// stand-in's own process. Kie allows ~10 recordInfo per second per key and the client spaces
// them at 8 / s, so the jobs are spread over servers with one key each (500 × 20 by default).
// The floor, measured in the same run: a process that only polls the same tasks at the same pace.
// `npm run bench in-flight [-- --guilds 500 --per-guild 20 --warmup 30 --window 60 --store sqlite|redis --quick]`.
import { parseArgs } from 'node:util';
import { runChild } from './support/child.js';
import { fleetKieOptions, seedFleet } from './support/fleet.js';
import { KieChild } from './support/kie-remote.js';
import { load, machine, mib, round, summarize, table } from './support/report.js';
import { benchStore, storeKind } from './support/store.js';

const { values } = parseArgs({
  options: {
    guilds: { type: 'string' },
    'per-guild': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '30' },
    window: { type: 'string' },
    'age-min': { type: 'string', default: '5' },
    store: { type: 'string', default: 'sqlite' },
    quick: { type: 'boolean', default: false },
    callbacks: { type: 'boolean', default: false },
  },
  strict: false,
});
const guilds = Number(values.guilds ?? (values.quick ? 25 : 500));
const perGuild = Number(values['per-guild']);
const warmupMs = Number(values.warmup) * 1000;
const windowMs = Number(values.window ?? (values.quick ? 20 : 60)) * 1000;
const ageMs = Number(values['age-min']) * 60_000;
const kind = storeKind(values.store);
const callbacks = values.callbacks === true;

interface SteadyResult {
  jobs: number;
  windowStart: number;
  windowEnd: number;
  idleRss: number;
  idleCpuShare?: number;
  cpuUserMs?: number;
  cpuSystemMs?: number;
  heapUsed?: number;
  peakRss: number;
  cpuShare: number;
  steps: number;
  done?: number;
  tracked?: number;
  outcomes?: Record<string, number>;
  edits?: number;
  lagP99?: number;
  loopDelayP99?: number;
  failures?: number;
}

console.log(
  `# Jobs in flight: ${guilds} servers × ${perGuild} jobs, one Kie key per server (${kind} store${callbacks ? ', Kie callbacks on: safety-net polls only' : ''})`,
);
console.log(machine());
const kie = await KieChild.start(fleetKieOptions(guilds));
const store = await benchStore(kind);
try {
  const seedStart = Date.now();
  const fleet = await seedFleet(kie, store, { guilds, perGuild, ageMs, callbacks });
  console.log(
    `seeded ${fleet.count} Kie tasks and job records in ${round((Date.now() - seedStart) / 1000, 1)} s`,
  );
  const childEnv = {
    BENCH_STORE_URL: store.url,
    BENCH_NAMESPACE: store.namespace,
    BENCH_KIE_URL: kie.url,
    BENCH_ENCRYPTION_KEY: fleet.encryptionKey,
    BENCH_JOBS_FILE: fleet.jobsFile,
    BENCH_WARMUP_MS: String(warmupMs),
    BENCH_WINDOW_MS: String(windowMs),
    BENCH_SPREAD_MS: '30000',
    BENCH_CALLBACKS: callbacks ? '1' : '',
  };
  const botLoad = { before: load(), after: '' };
  const bot = await runChild<SteadyResult>('scripts/bench/support/tracker-child.ts', {
    ...childEnv,
    BENCH_MODE: 'steady',
  });
  botLoad.after = load();
  const botKie = await kie.stats(bot.windowStart, bot.windowEnd);
  const floorLoad = { before: load(), after: '' };
  const floor = await runChild<SteadyResult>('scripts/bench/support/bare-poller.ts', childEnv);
  floorLoad.after = load();
  const floorKie = await kie.stats(floor.windowStart, floor.windowEnd);

  const minutes = windowMs / 60_000;
  const perJobMinute = (calls: number) => calls / fleet.count / minutes;
  const botPolls = botKie.byRoute.recordInfo ?? 0;
  const floorPolls = floorKie.byRoute.recordInfo ?? 0;
  const bot429 = Object.entries(bot.outcomes ?? {})
    .filter(([name]) => name.endsWith(' 429'))
    .reduce((sum, [, n]) => sum + n, 0);
  const otherErrors = Object.entries(bot.outcomes ?? {})
    .filter(([name]) => !name.endsWith(' 200'))
    .map(([name, n]) => `${name}: ${n}`);
  console.log(
    `window ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up; jobs submitted ${ageMs / 60_000} min earlier (documented pace 15–30 s, the bot takes 24–30 s)`,
  );
  table(
    ['figure', 'bot (tracker + job step)', 'floor: bare polling', 'target'],
    [
      ['jobs tracked', `${bot.jobs} (${bot.tracked} at the end, ${bot.done} ended)`, floor.jobs, ''],
      ['RSS before tracking (MiB)', mib(bot.idleRss), mib(floor.idleRss), ''],
      ['RSS while tracking, peak (MiB)', mib(bot.peakRss), mib(floor.peakRss), '≤ 250'],
      [
        'RSS growth for the jobs (MiB)',
        mib(bot.peakRss - bot.idleRss),
        mib(floor.peakRss - floor.idleRss),
        '',
      ],
      [
        'CPU while idle-polling (% of one core)',
        round(bot.cpuShare * 100, 1),
        round(floor.cpuShare * 100, 1),
        '≤ 5',
      ],
      [
        'CPU user / system share (%)',
        bot.cpuUserMs === undefined
          ? ''
          : `${round(((bot.cpuUserMs ?? 0) / windowMs) * 100, 1)} / ${round(((bot.cpuSystemMs ?? 0) / windowMs) * 100, 1)}`,
        '',
        '',
      ],
      [
        'CPU per recordInfo call (ms)',
        round((bot.cpuShare * windowMs) / Math.max(1, botPolls), 2),
        round((floor.cpuShare * windowMs) / Math.max(1, floorPolls), 2),
        '',
      ],
      ['V8 heap used at the end (MiB)', mib(bot.heapUsed ?? 0), '', ''],
      ['CPU with nothing tracked (% of one core)', round((bot.idleCpuShare ?? 0) * 100, 1), '', ''],
      [
        'recordInfo calls per job per minute (Kie side)',
        round(perJobMinute(botPolls), 2),
        round(perJobMinute(floorPolls), 2),
        callbacks
          ? 'safety net: every 144–180 s → 0.33–0.42'
          : '≥ 2.0 (documented pace after 2 min: every 15–30 s → 2–4)',
      ],
      [
        'recordInfo per second, all keys (peak 1 s)',
        botKie.peakPollPerSecond,
        floorKie.peakPollPerSecond,
        '',
      ],
      [
        'recordInfo per second, one key (peak 1 s)',
        botKie.peakPollPerKeyPerSecond,
        floorKie.peakPollPerKeyPerSecond,
        '≤ 10',
      ],
      ['429s answered to the bot', bot429, '', '0'],
      ['arrivals over Kie’s per-key limit (sliding 1 s)', botKie.pollOverLimit, floorKie.pollOverLimit, '0'],
      ['reply edits (none due)', bot.edits ?? 0, '', '0'],
      [
        'poll lateness p99 / event-loop delay p99 (ms)',
        `${round(bot.lagP99 ?? 0)} / ${round(bot.loopDelayP99 ?? 0)}`,
        '',
        '',
      ],
      [
        'load before → after',
        `${botLoad.before} → ${botLoad.after}`,
        `${floorLoad.before} → ${floorLoad.after}`,
        '',
      ],
    ],
  );
  if (otherErrors.length > 0) console.log(`Kie call outcomes other than 200: ${otherErrors.join(', ')}`);
  const label = `in-flight, ${bot.jobs} jobs${callbacks ? ', Kie callbacks (safety-net polls)' : ', documented pace'}`;
  const cpuRatio = bot.cpuShare / floor.cpuShare;
  summarize(
    callbacks
      ? {
          target: `${label}: CPU ≤ 5 % of a core`,
          figure: `${round(bot.cpuShare * 100, 1)} %`,
          floor: `${round(floor.cpuShare * 100, 1)} %`,
          ratio: `${round(cpuRatio, 2)}×`,
          met: bot.cpuShare <= 0.05,
        }
      : {
          target: `${label}: CPU ≤ 1.5× bare polling`,
          figure: `${round(bot.cpuShare * 100, 1)} %`,
          floor: `${round(floor.cpuShare * 100, 1)} %`,
          ratio: `${round(cpuRatio, 2)}×`,
          met: cpuRatio <= 1.5,
        },
  );
  summarize({
    target: `${label}: RSS peak ≤ ${callbacks ? 250 : 200} MiB`,
    figure: `${mib(bot.peakRss)} MiB`,
    floor: `${mib(floor.peakRss)} MiB`,
    ratio: `${round(bot.peakRss / floor.peakRss, 2)}×`,
    met: bot.peakRss <= (callbacks ? 250 : 200) * 1024 * 1024,
  });
  summarize({
    target: `${label}: recordInfo per job per minute, 429s`,
    figure: `${round(perJobMinute(botPolls), 2)}, ${bot429} × 429`,
    floor: round(perJobMinute(floorPolls), 2),
    ratio: `${round(perJobMinute(botPolls) / perJobMinute(floorPolls), 2)}×`,
    met: bot429 === 0 && botKie.pollOverLimit === 0 && perJobMinute(botPolls) >= (callbacks ? 0.33 : 2),
  });
  if (floor.failures) console.log(`floor poll failures: ${floor.failures}`);
} finally {
  await kie.close();
  await store.dispose();
}
