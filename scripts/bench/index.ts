// `npm run bench [-- <name>…] [-- options]`: runs the benchmarks one after the other, each in a
// process of its own (so one's memory does not weigh on the next), or only those named.
// Options are handed to every benchmark (each reads its own); `--quick` runs small sizes.
// Each prints Markdown tables beside a floor measured in the same run; nothing passes or fails.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { machine } from './support/report.js';

const BENCHMARKS: Record<string, { file: string; about: string }> = {
  ack: {
    file: 'ack-burst.ts',
    about: 'ack latency under a burst of 500 /animate vs a bare discord.js client',
  },
  'in-flight': { file: 'in-flight.ts', about: '10,000 jobs tracked at once: RSS, CPU, Kie calls, 429s' },
  restart: { file: 'restart.ts', about: 'restart with 10,000 jobs in flight: time to resume, peak Kie rate' },
  delivery: { file: 'delivery.ts', about: '50 concurrent 40 MB deliveries: peak RSS growth, success → edit' },
  startup: {
    file: 'startup.ts',
    about: '`npm start` → gateway IDENTIFY vs a bare discord.js client (needs npm run build)',
  },
  exchange: { file: 'exchange.ts', about: 'one /animate exchange at a time: ack and wall time' },
};
/** What `npm run bench` runs without names (exchange is a quick look, not one of issue 8's). */
const DEFAULT = ['ack', 'in-flight', 'restart', 'delivery'];

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
const options = args.filter((arg) => !names.includes(arg));
const chosen = names.length > 0 ? names : DEFAULT;

console.log(machine());
for (const name of chosen) {
  const bench = BENCHMARKS[name];
  if (!bench) continue;
  console.log(`\n## ${name}\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts/bench', bench.file), ...options],
      { stdio: 'inherit' },
    );
    child.once('exit', resolve);
  });
  if (code !== 0) {
    console.log(`${name} ended with code ${code}`);
    process.exitCode = 1;
  }
}
