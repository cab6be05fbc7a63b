// Restart with 10,000 jobs in flight: a fresh process (tracker-child.ts, BENCH_MODE=resume) finds
// the jobs in the store and resumes them with tracker.resume over the servers, as the bot does
// when it is ready. Figures: time until every job has made its first step, and the peak Kie
// request rate while resuming, overall and per key, against Kie's documented per-key limits.
// The floor, measured in the same run: reading the unfinished jobs from the store, and nothing else.
// `npm run bench restart [-- --guilds 500 --per-guild 20 --store sqlite|redis --quick]`.
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
    'age-min': { type: 'string', default: '5' },
    store: { type: 'string', default: 'sqlite' },
    quick: { type: 'boolean', default: false },
  },
  strict: false,
});
const guilds = Number(values.guilds ?? (values.quick ? 25 : 500));
const perGuild = Number(values['per-guild']);
const ageMs = Number(values['age-min']) * 60_000;
const kind = storeKind(values.store);

interface ResumeResult {
  jobs: number;
  resumed: number;
  startedAt: number;
  returnedAt: number;
  allAt: number;
  firstP50: number;
  firstP99: number;
  firstStepped: number;
  cpuShare: number;
  idleRss: number;
  peakRss: number;
  outcomes: Record<string, number>;
  done: number;
  scanMs: number;
  scanned: number;
}

/** The tracker's default spread for `count` resumed jobs (job-tracker.ts): 5 s per 100, at most 60 s. */
const designedSpreadMs = (count: number) => Math.min(60_000, Math.ceil(count / 100) * 5_000);

console.log(
  `# Restart with ${guilds * perGuild} jobs in flight: ${guilds} servers × ${perGuild}, one Kie key each (${kind} store)`,
);
console.log(machine());
const kie = await KieChild.start(fleetKieOptions(guilds));
const store = await benchStore(kind);
try {
  const fleet = await seedFleet(kie, store, { guilds, perGuild, ageMs });
  const before = load();
  const result = await runChild<ResumeResult>('scripts/bench/support/tracker-child.ts', {
    BENCH_STORE_URL: store.url,
    BENCH_NAMESPACE: store.namespace,
    BENCH_KIE_URL: kie.url,
    BENCH_ENCRYPTION_KEY: fleet.encryptionKey,
    BENCH_JOBS_FILE: fleet.jobsFile,
    BENCH_MODE: 'resume',
  });
  const after = load();
  const resuming = await kie.stats(result.startedAt, result.allAt);
  const first = await kie.stats(
    result.startedAt,
    result.startedAt + designedSpreadMs(result.resumed) + 5_000,
  );
  const s = (ms: number) => round(ms / 1000, 1);
  const rate429 = Object.entries(result.outcomes)
    .filter(([name]) => name.endsWith(' 429'))
    .reduce((sum, [, n]) => sum + n, 0);
  table(
    ['figure', 'value', 'floor / limit'],
    [
      [
        'jobs resumed',
        `${result.resumed} of ${fleet.count} (${result.firstStepped} stepped, ${result.done} ended)`,
        '',
      ],
      [
        'tracker.resume() returned after (s)',
        s(result.returnedAt - result.startedAt),
        `store scan alone: ${s(result.scanMs)} s`,
      ],
      [
        'all jobs resumed (first poll done) after (s)',
        s(result.allAt - result.startedAt),
        `designed spread: ${s(designedSpreadMs(result.resumed))} s`,
      ],
      ['first poll after restart, p50 / p99 (s)', `${s(result.firstP50)} / ${s(result.firstP99)}`, ''],
      [
        'Kie requests while resuming, all keys (peak per 1 s)',
        resuming.peakAllPerSecond,
        'none documented per host',
      ],
      [
        'mean Kie requests per second while resuming',
        round((resuming.byRoute.recordInfo ?? 0) / ((result.allAt - result.startedAt) / 1000), 1),
        '',
      ],
      [
        'Kie requests per key (peak per 1 s)',
        resuming.peakAllPerKeyPerSecond,
        '≤ 10 (recordInfo, documented)',
      ],
      ['arrivals over Kie’s per-key limit (sliding 1 s)', resuming.pollOverLimit, '0'],
      ['429s answered', rate429, '0'],
      ['recordInfo in the first spread + 5 s', first.byRoute.recordInfo ?? 0, ''],
      ['CPU while resuming (% of one core)', round(result.cpuShare * 100, 1), ''],
      ['RSS before / peak (MiB)', `${mib(result.idleRss)} / ${mib(result.peakRss)}`, '≤ 250'],
      ['load before → after', `${before} → ${after}`, ''],
    ],
  );
  const resumedMs = result.allAt - result.startedAt;
  summarize({
    target: `restart: ${result.resumed} jobs resumed after (s)`,
    figure: s(resumedMs),
    floor: `${s(designedSpreadMs(result.resumed))} (designed spread)`,
    ratio: `${round(resumedMs / designedSpreadMs(result.resumed), 2)}×`,
    met: undefined,
    note: 'issue 13: no worse than 60.5 s',
  });
  summarize({
    target: 'restart: Kie requests per key while resuming, peak 1 s ≤ 10',
    figure: String(resuming.peakAllPerKeyPerSecond),
    floor: '10 (Kie’s limit)',
    ratio: `${round(resuming.peakAllPerKeyPerSecond / 10, 2)}×`,
    met: resuming.peakAllPerKeyPerSecond <= 10 && rate429 === 0,
    note: `${rate429} × 429; RSS peak ${mib(result.peakRss)} MiB`,
  });
  const odd = Object.entries(result.outcomes).filter(([name]) => !name.endsWith(' 200'));
  if (odd.length > 0)
    console.log(`Kie call outcomes other than 200: ${odd.map(([n, c]) => `${n}: ${c}`).join(', ')}`);
} finally {
  await kie.close();
  await store.dispose();
}
