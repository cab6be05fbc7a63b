/** How big a reliability run is: `RELIABILITY_SIZE=ci` for the reduced run, anything else is full. */
export interface ReliabilitySize {
  name: 'ci' | 'full';
  crash: { jobs: number; guilds: number; kills: number; taskSeconds: [number, number] };
  outage: { runningJobs: number; commandsDuringOutage: number; outageMs: number };
  /** Kie storms: how many answers in a row are faulty. */
  storm: number;
  lifecycle: {
    /** The bot's own (real-time) long download outage, or null to run only the in-process one. */
    downloadOutageMs: number | null;
    /** The in-process one, on the runner's clock. */
    simulatedOutageMinutes: number;
  };
  /** Jobs whose `submitted` write meets each kind of store failure. */
  storeWrite: { jobsPerMode: number; failureMs: number };
  /** The steady load the SQLite purge must keep in bounds, on a simulated clock. */
  expiredRows: { days: number; jobsPerDay: number };
}

const SIZES: Record<ReliabilitySize['name'], ReliabilitySize> = {
  ci: {
    name: 'ci',
    crash: { jobs: 20, guilds: 5, kills: 5, taskSeconds: [1, 10] },
    outage: { runningJobs: 4, commandsDuringOutage: 2, outageMs: 10_000 },
    storm: 6,
    lifecycle: { downloadOutageMs: null, simulatedOutageMinutes: 90 },
    storeWrite: { jobsPerMode: 2, failureMs: 10_000 },
    expiredRows: { days: 30, jobsPerDay: 25 },
  },
  full: {
    name: 'full',
    crash: { jobs: 100, guilds: 5, kills: 10, taskSeconds: [1, 25] },
    outage: { runningJobs: 15, commandsDuringOutage: 5, outageMs: 10_000 },
    storm: 12,
    lifecycle: { downloadOutageMs: 215_000, simulatedOutageMinutes: 90 },
    storeWrite: { jobsPerMode: 4, failureMs: 10_000 },
    expiredRows: { days: 30, jobsPerDay: 100 },
  },
};

export const size: ReliabilitySize = process.env.RELIABILITY_SIZE === 'ci' ? SIZES.ci : SIZES.full;

/** The crash test's seed: RELIABILITY_SEED to replay a run, else a fresh one (printed). */
export const seed: number = process.env.RELIABILITY_SEED
  ? Number(process.env.RELIABILITY_SEED) >>> 0
  : Math.floor(Math.random() * 2 ** 32) >>> 0;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(start: number): { next(): number; between(low: number, high: number): number } {
  let state = start >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, between: (low, high) => low + (high - low) * next() };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return true;
    await sleep(everyMs);
  }
  return condition();
}
