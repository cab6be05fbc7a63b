// `npm run bench [-- <name>…] [-- options]`: runs the benchmarks one after the other, each in a
// process of its own (so one's memory does not weigh on the next), or only those named.
// Options are handed to every benchmark (each reads its own); `--quick` runs small sizes.
// Each prints Markdown tables beside a floor measured in the same run; nothing passes or fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load, machine, printSummary, type SummaryRow } from './support/report.js';

const BENCHMARKS: Record<string, { file: string; about: string; args?: string[] }> = {
  ack: {
    file: 'ack-burst.ts',
    about: 'ack latency under a burst of 500 /animate vs a bare discord.js client',
  },
  'in-flight': { file: 'in-flight.ts', about: '10,000 jobs tracked at once: RSS, CPU, Kie calls, 429s' },
  'in-flight-callbacks': {
    file: 'in-flight.ts',
    about: 'the same with Kie callbacks: safety-net polls only (about 7 minutes)',
    args: ['--callbacks', '--warmup', '200', '--window', '180'],
  },
  restart: { file: 'restart.ts', about: 'restart with 10,000 jobs in flight: time to resume, peak Kie rate' },
  delivery: { file: 'delivery.ts', about: '50 concurrent 40 MB deliveries: peak RSS growth, success → edit' },
  startup: {
    file: 'startup.ts',
    about: '`npm start` → gateway IDENTIFY vs a bare discord.js client (needs npm run build)',
  },
  exchange: { file: 'exchange.ts', about: 'one /animate exchange at a time: ack and wall time' },
};
/** What `npm run bench` runs without names (exchange is a quick look, not one of issue 8's). */
const DEFAULT = ['startup', 'ack', 'in-flight', 'in-flight-callbacks', 'restart', 'delivery'];

const args = process.argv.slice(2);
const names = args.filter((arg) => !arg.startsWith('-') && arg in BENCHMARKS);
const unknown = args.filter(
  (arg, i) => !arg.startsWith('-') && !(arg in BENCHMARKS) && !args[i - 1]?.startsWith('--'),
);
if (unknown.length > 0 || args.includes('--help')) {
  if (unknown.length > 0) console.log(`unknown benchmark: ${unknown.join(', ')}`);
  console.log('npm run bench [-- <name>…] [--quick] [benchmark options]');
  for (const [name, { about }] of Object.entries(BENCHMARKS)) console.log(`  ${name.padEnd(10)} ${about}`);
  process.exit(unknown.length > 0 ? 1 : 0);
}
const options = args.filter((arg) => !names.includes(arg) && arg !== '--summary');
// --summary: each benchmark's own tables go to a log file; the terminal gets the summary table.
const quiet = args.includes('--summary');
const logFile = path.resolve(`bench-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
const log = quiet ? openSync(logFile, 'a') : undefined;
if (quiet) console.log(`each benchmark's tables: ${logFile}`);
const chosen = names.length > 0 ? names : DEFAULT;

console.log(machine());
// Each benchmark appends its rows for the closing summary table here.
const summaryDir = mkdtempSync(path.join(tmpdir(), 'animate-bench-summary-'));
const summaryFile = path.join(summaryDir, 'rows.jsonl');
const loadBefore = load();
const startedAt = new Date().toISOString();
for (const name of chosen) {
  const bench = BENCHMARKS[name];
  if (!bench) continue;
  console.log(`\n## ${name}\n`);
  if (quiet) console.log(`${name}: running (${load()})`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts/bench', bench.file), ...options, ...(bench.args ?? [])],
      {
        stdio: ['inherit', log ?? 'inherit', log ?? 'inherit'],
        env: { ...process.env, BENCH_SUMMARY_FILE: summaryFile },
      },
    );
    child.once('exit', resolve);
  });
  if (code !== 0) {
    console.log(`${name} ended with code ${code}`);
    process.exitCode = 1;
  }
}

let rows: SummaryRow[] = [];
try {
  rows = readFileSync(summaryFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SummaryRow);
} catch {
  // no benchmark wrote a row
}
rmSync(summaryDir, { recursive: true, force: true });
console.log(`\n## Summary (${startedAt} → ${new Date().toISOString()})\n`);
console.log(`${machine()}\nload before: ${loadBefore}; after: ${load()}\n`);
printSummary(rows);
