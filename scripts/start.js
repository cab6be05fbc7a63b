// @ts-check
// `npm start`: the checks of preflight.js (the Node.js version, a build at least as new as src/),
// then the bot in this same process. A pre-script would cost one more node process (and npm's
// shell around it) on every start: ≈ 40 ms of the ≈ 0.5 s to the gateway (docs/benchmarks.md).
import { checkBeforeStart } from './preflight.js';

const code = checkBeforeStart();
// A URL, not a specifier: the type check must not need a build.
if (code === 0) await import(new URL('../dist/index.js', import.meta.url).href);
else process.exitCode = code;
