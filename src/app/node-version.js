// @ts-check
// The supported Node.js versions, checked before anything else loads: by scripts/preflight.js
// before a build and by the entry point (src/index.ts) before the bot. Plain JavaScript that
// imports nothing, so that an unsupported Node.js gets one clear line instead of a crash
// somewhere in a dependency; the build copies it into dist/ as it is.

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
