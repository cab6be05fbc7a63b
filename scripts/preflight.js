// @ts-check
// Runs before `npm run start:sharded` and `npm run deploy-commands` (their pre-scripts), inside
// `npm start` (scripts/start.js) and as `npm run build`. Plain JavaScript that loads only node: modules, so that an unsupported
// Node.js gets one clear line instead of a crash somewhere in a dependency.
//
//   node scripts/preflight.js          check the Node.js version; build dist/ if it is missing or older than src/
//   node scripts/preflight.js build    build dist/ from src/ (clean first, so no deleted module lingers)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsupportedNodeMessage } from '../src/app/node-version.js';

export { describeEngines, satisfiesEngines, unsupportedNodeMessage } from '../src/app/node-version.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/**
 * What `npm start` (scripts/start.js), `npm run start:sharded` and `npm run deploy-commands` check
 * first: the Node.js version, then a build at least as new as src/ (built here when it is not).
 * @returns {number} the exit code: 0 when the command may go on
 */
export function checkBeforeStart() {
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
  process.exitCode = process.argv[2] === 'build' ? build(ROOT) : checkBeforeStart();
}
