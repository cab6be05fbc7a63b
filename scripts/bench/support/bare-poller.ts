// The in-flight floor: a process that only polls the same tasks at the same pace (one timer per
// task, undici's request + JSON.parse of recordInfo, as the bot's transport), with no store,
// limiter, schema or logger. Started by
// in-flight.ts with BENCH_* variables; sends one `result` message over IPC.
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { pollDelayMs } from '../../../src/services/jobs/poll-schedule.js';
import { cpuMeter, memoryOf, sleep } from './report.js';

const env = process.env;
const kieUrl = env.BENCH_KIE_URL ?? '';
const warmupMs = Number(env.BENCH_WARMUP_MS ?? 30_000);
const windowMs = Number(env.BENCH_WINDOW_MS ?? 60_000);
const spreadMs = Number(env.BENCH_SPREAD_MS ?? 30_000);
/** The bot's pace for jobs older than 2 minutes, as every job here is. */
const pace = () => pollDelayMs(Number.POSITIVE_INFINITY, env.BENCH_CALLBACKS === '1');
const list = JSON.parse(await readFile(env.BENCH_JOBS_FILE ?? '', 'utf8')) as Array<{
  key: string;
  taskId: string;
}>;

let polls = 0;
let failures = 0;
let stopped = false;
const timers = new Set<NodeJS.Timeout>();
const poll = async (task: { key: string; taskId: string }) => {
  try {
    const response = await request(
      `${kieUrl}/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(task.taskId)}`,
      {
        headers: {
          authorization: `Bearer ${task.key}`,
          'user-agent': 'bench-floor',
          accept: 'application/json',
        },
      },
    );
    const body = JSON.parse(await response.body.text()) as { code: number };
    if (body.code !== 200) failures += 1;
  } catch {
    failures += 1;
  }
  polls += 1;
  schedule(task, pace());
};
const schedule = (task: { key: string; taskId: string }, inMs: number) => {
  if (stopped) return;
  const timer = setTimeout(() => {
    timers.delete(timer);
    void poll(task);
  }, inMs);
  timers.add(timer);
};

await sleep(2000);
const idleRss = memoryOf('self')?.rss ?? 0;
for (const task of list) schedule(task, Math.random() * spreadMs);
await sleep(warmupMs);
const windowStart = Date.now();
const pollsBefore = polls;
const meter = cpuMeter();
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, memoryOf('self')?.rss ?? 0);
}, 1000);
await sleep(windowMs);
clearInterval(sampler);
const cpu = meter();
const windowEnd = Date.now();
stopped = true;
for (const timer of timers) clearTimeout(timer);
process.send?.(
  {
    result: {
      jobs: list.length,
      windowStart,
      windowEnd,
      idleRss,
      peakRss,
      cpuShare: cpu.share,
      steps: polls - pollsBefore,
      failures,
    },
  },
  () => process.exit(0),
);
