// @ts-check
// Runs before `npm start`, `npm run start:sharded` and `npm run deploy-commands` (their pre-scripts),
// and as `npm run build`. Plain JavaScript that loads only node: modules, so that an unsupported
// Node.js gets one clear line instead of a crash somewhere in a dependency.
//
//   node scripts/preflight.js          check the Node.js version; build dist/ if it is missing or older than src/
//   node scripts/preflight.js build    build dist/ from src/ (clean first, so no deleted module lingers)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Whether `version` (e.g. "24.1.0") is inside `range`, written as package.json's engines is:
 * `^X.Y.Z` and `>=X.Y.Z` joined by `||`. A part in any other form matches nothing.
 * @param {string} version
 * @param {string} range
 */
export function satisfiesEngines(version, range) {
  const have = version.replace(/^v/, '').split('.').map(Number);
  return range.split('||').some((part) => {
    const match = /^\s*(\^|>=)\s*(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    if (!match) return false;
    const want = match.slice(2).map(Number);
    if (match[1] === '^' && have[0] !== want[0]) return false;
    for (let i = 0; i < 3; i++) {
      if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0);
    }
    return true;
  });
}

/**
 * The supported lines in words: "^22.12.0 || ^24.0.0 || >=26.0.0" → "22 (22.12 or later), 24 or 26 and newer".
 * @param {string} range
 */
export function describeEngines(range) {
  const lines = range.split('||').map((part) => {
    const match = /^\s*(\^|>=)\s*(\d+)\.(\d+)\.(\d+)\s*$/.exec(part);
    if (!match) return part.trim();
    const [, op, major, minor, patch] = match;
    if (op === '>=') return `${major} and newer`;
    return minor === '0' && patch === '0' ? major : `${major} (${major}.${minor} or later)`;
  });
  return lines.length > 1 ? `${lines.slice(0, -1).join(', ')} or ${lines.at(-1)}` : (lines[0] ?? range);
}

/**
 * The one line an unsupported Node.js gets, or undefined when `version` is supported.
 * @param {string} version
 * @param {string} range package.json's engines.node
 */
export function unsupportedNodeMessage(version, range) {
  if (satisfiesEngines(version, range)) return undefined;
  return (
    `animate-bot runs on Node.js ${describeEngines(range)}; this is Node.js ${version.replace(/^v/, '')}. ` +
    'Install a current LTS from https://nodejs.org/en/download (or `nvm install --lts`) and run the command again.'
  );
}

/**
 * Why dist/ must be (re)built before a start, or undefined when it is up to date. Without src/ (the
 * Docker image) only dist/ itself counts.
 * @param {string} root
 */
export function staleBuildReason(root) {
  const entry = path.join(root, 'dist', 'index.js');
  if (!existsSync(entry)) return 'no build yet';
  const src = path.join(root, 'src');
  if (!existsSync(src)) return undefined;
  const builtAt = statSync(entry).mtimeMs;
  const inputs = [path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')];
  for (const file of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (file.isFile()) inputs.push(path.join(file.parentPath, file.name));
  }
  const changed = inputs.find((file) => existsSync(file) && statSync(file).mtimeMs > builtAt);
  return changed ? `${path.relative(root, changed)} changed since the last build` : undefined;
}

/**
 * Compiles src/ into dist/ with the project's TypeScript; returns the exit code.
 * @param {string} root
 */
export function build(root) {
  let tsc;
  try {
    const typescript = createRequire(path.join(root, 'package.json')).resolve('typescript/package.json');
    tsc = path.join(path.dirname(typescript), 'bin', 'tsc');
  } catch {
    console.error(
      'Cannot build: TypeScript is not installed. Run `npm install` (with dev dependencies) first.',
    );
    return 1;
  }
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status === 0) return 0;
  console.error('The build failed (see above). Fix the error, or `git stash` local changes, and try again.');
  return result.status ?? 1;
}

/** @returns {number} the exit code */
function main() {
  if (process.argv[2] === 'build') return build(ROOT);
  const engines = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines?.node ?? '';
  const refusal = unsupportedNodeMessage(process.versions.node, engines);
  if (refusal) {
    console.error(refusal);
    return 1;
  }
  const reason = staleBuildReason(ROOT);
  if (!reason) return 0;
  console.error(`Building dist/ from src/ (${reason})…`);
  return build(ROOT);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
