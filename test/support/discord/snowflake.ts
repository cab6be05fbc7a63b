/** Discord epoch (2015-01-01T00:00:00.000Z) in ms. */
export const DISCORD_EPOCH = 1420070400000n;

export interface StandInClock {
  /** Current stand-in time in ms since the Unix epoch. Runs with real time, shifted by advance()/set(). */
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createClock(): StandInClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
    set: (ms) => {
      offset = ms - Date.now();
    },
  };
}

/** Generates realistic snowflakes: `((ms - epoch) << 22) | worker << 17 | process << 12 | increment`. */
export class Snowflakes {
  #increment = 0;
  constructor(private readonly clock: StandInClock) {}

  next(atMs: number = this.clock.now()): string {
    const inc = BigInt(this.#increment++ & 0xfff);
    return (((BigInt(Math.floor(atMs)) - DISCORD_EPOCH) << 22n) | (1n << 17n) | inc).toString();
  }
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
