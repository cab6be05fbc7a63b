// Figures and tables shared by the benchmarks: percentiles, the machine they ran on, process memory.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export const MiB = 1024 * 1024;

/** Nearest-rank percentile; NaN for an empty list. */
export function percentile(list: readonly number[], p: number): number {
  if (list.length === 0) return Number.NaN;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function round(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

export function mib(bytes: number, digits = 0): string {
  return round(bytes / MiB, digits);
}

/** One-minute load average and uptime's own line, to print beside each figure. */
export function load(): string {
  const [one, five] = os.loadavg();
  return `load ${round(one ?? 0, 1)} / ${round(five ?? 0, 1)} (1 / 5 min) on ${os.availableParallelism()} cores`;
}

export function machine(): string {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const available = Number(/MemAvailable:\s+(\d+)/.exec(meminfo)?.[1] ?? 0) * 1024;
  return [
    `machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'})`,
    `memory ${mib(os.totalmem())} MiB total, ${mib(available)} MiB available`,
    `node ${process.version}`,
    load(),
  ].join(' · ');
}

/** Prints a Markdown table. */
export function table(headers: string[], rows: Array<Array<string | number>>): void {
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** VmRSS and VmHWM (peak RSS since start) of a process, in bytes; undefined once it is gone. */
export function memoryOf(pid: number | 'self'): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * The process that carries `name=value` in its environment and runs the entry point (tsx starts
 * the real node process as its own child: of the matches, the one with the largest RSS).
 */
export function findProcessByEnv(name: string, value: string): number | undefined {
  const needle = `${name}=${value}`;
  let best: { pid: number; rss: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(needle)) continue;
    const rss = memoryOf(pid)?.rss ?? 0;
    if (!best || rss > best.rss) best = { pid, rss };
  }
  return best?.pid;
}

/** CPU time used by this process between two readings, as a share of one core over the wall time. */
export function cpuMeter(): () => { share: number; userMs: number; systemMs: number; wallMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - started;
    return {
      share: (used.user + used.system) / 1000 / wallMs,
      userMs: used.user / 1000,
      systemMs: used.system / 1000,
      wallMs,
    };
  };
}

/** CPU ticks (user + system) of another process from /proc/<pid>/stat, in ms. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it is true or `timeoutMs` passed; returns whether it became true. */
export async function waitUntil(check: () => boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** A realistic Discord snowflake for `at` with a distinguishing counter. */
export function snowflakeAt(at: number, serial: number): string {
  return ((BigInt(at - 1_420_070_400_000) << 22n) | BigInt(serial & 0x3fffff)).toString();
}

/**
 * SIGTERM, and SIGKILL to the real node process (found by its STORE_NAMESPACE) when it has not
 * ended after `graceMs`: tsx cannot pass a SIGKILL on. Resolves with whether it ended by itself.
 */
export async function stopBot(
  bot: { stop(signal?: NodeJS.Signals): Promise<void> },
  namespace: string,
  graceMs = 15_000,
): Promise<boolean> {
  const stopped = bot.stop('SIGTERM');
  const ended = await Promise.race([stopped.then(() => true), sleep(graceMs).then(() => false)]);
  if (ended) return true;
  const pid = findProcessByEnv('STORE_NAMESPACE', namespace);
  if (pid) process.kill(pid, 'SIGKILL');
  await stopped;
  return false;
}

/** One line of `npm run bench`'s closing summary: a target, the figure measured and its floor. */
export interface SummaryRow {
  target: string;
  figure: string;
  floor: string;
  ratio: string;
  met: boolean | undefined;
  note?: string;
}

/**
 * Hands a summary row to `npm run bench` (scripts/bench/index.ts), which prints every row in one
 * table at the end; a benchmark run alone prints it itself.
 */
export function summarize(row: SummaryRow): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
  else printSummary([row]);
}

export function printSummary(rows: readonly SummaryRow[]): void {
  table(
    ['target', 'figure', 'floor', 'ratio', 'met / missed'],
    rows.map((row) => [
      row.target,
      row.figure,
      row.floor,
      row.ratio,
      `${row.met === undefined ? '—' : row.met ? 'met' : '**missed**'}${row.note ? ` (${row.note})` : ''}`,
    ]),
  );
}
