// A process that does what the bot does for jobs in flight: the real JobStore, KieClient (HTTP to
// the Kie stand-in process), job step and JobTracker, with the bot's logger level and metrics.
// Started by in-flight.ts (BENCH_MODE=steady) and restart.ts (BENCH_MODE=resume); settings
// in BENCH_* variables; sends one `result` message over IPC and exits.
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import { Metrics } from '../../../src/app/metrics.js';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import { ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import { createJobRunner } from '../../../src/services/jobs/job-runner.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { JobTracker, type TrackOutcome } from '../../../src/services/jobs/job-tracker.js';
import { KieClient } from '../../../src/services/kie/index.js';
import { MediaFetcher } from '../../../src/services/media/safe-fetch.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { JobMessages } from '../../../src/services/render/job-messages.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { cpuMeter, memoryOf, percentile, sleep } from './report.js';

const env = process.env;
const mode = env.BENCH_MODE === 'resume' ? 'resume' : 'steady';
const warmupMs = Number(env.BENCH_WARMUP_MS ?? 30_000);
const windowMs = Number(env.BENCH_WINDOW_MS ?? 60_000);
const spreadMs = Number(env.BENCH_SPREAD_MS ?? 30_000);
const list = JSON.parse(await readFile(env.BENCH_JOBS_FILE ?? '', 'utf8')) as Array<{
  guildId: string;
  id: string;
}>;

// The bot's own parts, wired as src/index.ts wires them (logs at info, to nowhere).
const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
const metrics = new Metrics();
const box = new SealedBox(Buffer.from(env.BENCH_ENCRYPTION_KEY ?? '', 'base64'));
const keyv = openKeyv(env.BENCH_STORE_URL ?? '', { namespace: env.BENCH_NAMESPACE ?? 'animate' });
const jobs = new JobStore(keyv, logger);
const settings = new SettingsStore(keyv, box, logger);
const outcomes = new Map<string, number>();
const kie = new KieClient({
  apiUrl: env.BENCH_KIE_URL ?? '',
  uploadUrl: env.BENCH_KIE_URL ?? '',
  timeoutMs: 30_000,
  logger,
  onAttempt: (route, outcome, ok) => {
    metrics.countKieCall(route, outcome);
    if (!ok) metrics.countKieError(route, outcome);
    const name = `${route} ${outcome}`;
    outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
  },
});
let edits = 0;
const rest = new REST({ api: 'http://127.0.0.1:9/api', retries: 0 });
const replies = new ReplyEditor(rest, logger);
const realEdit = replies.edit.bind(replies);
replies.edit = (...args) => {
  edits += 1;
  return realEdit(...args);
};
const { step: realStep } = createJobRunner({
  jobs,
  kie,
  settings,
  box,
  replies,
  messages: new JobMessages(createModelRegistry()),
  logger,
  metrics,
  maxVideoBytes: 100 * 1024 * 1024,
  downloadTimeoutMs: 5 * 60_000,
  media: new MediaFetcher({ trustedOrigins: [env.BENCH_KIE_URL ?? ''] }),
  deadlineMinutes: 60,
  createTaskWindowMs: 60_000,
});

/** Every step counted; the first step of each job after start (resume mode) timed. */
let steps = 0;
let done = 0;
const firstStepAt = new Map<string, number>();
const step = async (job: Parameters<typeof realStep>[0]): Promise<TrackOutcome> => {
  const outcome = await realStep(job);
  steps += 1;
  if (outcome.next === 'done') done += 1;
  const key = `${job.guildId}:${job.id}`;
  if (!firstStepAt.has(key)) firstStepAt.set(key, Date.now());
  return outcome;
};
const lags: number[] = [];
const tracker = new JobTracker({
  jobs,
  step,
  logger,
  onLag: (ms) => {
    metrics.observePollLag(ms);
    lags.push(ms);
  },
});
const loop = monitorEventLoopDelay({ resolution: 20 });

async function steady() {
  await sleep(2000);
  const idleRss = memoryOf('self')?.rss ?? 0;
  const idleCpu = cpuMeter();
  await sleep(5000);
  const idle = idleCpu();
  const trackedAt = Date.now();
  for (const job of list) tracker.track(job, Math.floor(Math.random() * spreadMs));
  await sleep(warmupMs);
  const windowStart = Date.now();
  const stepsBefore = steps;
  const outcomesBefore = new Map(outcomes);
  lags.length = 0;
  loop.reset();
  loop.enable();
  const meter = cpuMeter();
  let peakRss = 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    const rss = memoryOf('self')?.rss ?? 0;
    rssSamples.push(rss);
    peakRss = Math.max(peakRss, rss);
  }, 1000);
  await sleep(windowMs);
  clearInterval(sampler);
  const cpu = meter();
  loop.disable();
  const windowEnd = Date.now();
  const delta: Record<string, number> = {};
  for (const [name, n] of outcomes) delta[name] = n - (outcomesBefore.get(name) ?? 0);
  return {
    mode,
    jobs: list.length,
    trackedAt,
    windowStart,
    windowEnd,
    idleRss,
    idleCpuShare: idle.share,
    cpuShare: cpu.share,
    cpuUserMs: cpu.userMs,
    cpuSystemMs: cpu.systemMs,
    rssEnd: memoryOf('self')?.rss ?? 0,
    peakRss,
    heapUsed: process.memoryUsage().heapUsed,
    steps: steps - stepsBefore,
    done,
    tracked: tracker.size,
    outcomes: delta,
    edits,
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };
}

async function resume() {
  await sleep(2000);
  const idleRss = memoryOf('self')?.rss ?? 0;
  const guildIds = [...new Set(list.map((job) => job.guildId))];
  const meter = cpuMeter();
  const startedAt = Date.now();
  const resumed = await tracker.resume(guildIds);
  const returnedAt = Date.now();
  const deadline = Date.now() + 10 * 60_000;
  while (firstStepAt.size < resumed && Date.now() < deadline) await sleep(100);
  const allAt = Math.max(...firstStepAt.values());
  const cpu = meter();
  const firsts = [...firstStepAt.values()].map((at) => at - startedAt);
  // The floor: reading every unfinished job from the store, and nothing else.
  const scanStart = performance.now();
  let scanned = 0;
  for (const guildId of guildIds) scanned += (await jobs.listActive(guildId)).length;
  const scanMs = performance.now() - scanStart;
  return {
    mode,
    jobs: list.length,
    resumed,
    startedAt,
    returnedAt,
    allAt,
    firstP50: percentile(firsts, 50),
    firstP99: percentile(firsts, 99),
    firstStepped: firstStepAt.size,
    cpuShare: cpu.share,
    idleRss,
    peakRss: memoryOf('self')?.peak ?? 0,
    outcomes: Object.fromEntries(outcomes),
    done,
    lagP99: percentile(lags, 99),
    scanMs,
    scanned,
  };
}

const result = mode === 'resume' ? await resume() : await steady();
await tracker.stop();
await kie.close();
await keyv.disconnect();
process.send?.({ result }, () => process.exit(0));
