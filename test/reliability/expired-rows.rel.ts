import { afterAll, describe, expect, it } from 'vitest';
import { SectionReport } from './report.js';
import { size } from './sizes.js';
import { type LoadDay, runSteadyLoad } from './steady-load.js';

const { days: DAYS, jobsPerDay: PER_DAY } = size.expiredRows;
const report = new SectionReport('11 expired rows');
afterAll(() => report.save());

/** Finished jobs are kept 14 days, day counts 2: from the 16th day on, as many rows expire as are written. */
const STEADY_FROM = 16;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
const at = (days: LoadDay[], day: number) => days.find((d) => d.day === day) as LoadDay;
const growth = (days: LoadDay[]) => at(days, DAYS).bytes / at(days, STEADY_FROM).bytes;

describe('expired rows in the SQLite store', () => {
  it(`keeps the file from growing under ${PER_DAY} jobs a day for ${DAYS} simulated days, and no live row goes`, async () => {
    const purged = await runSteadyLoad({ days: DAYS, jobsPerDay: PER_DAY, purge: true });
    // The same load on a store without a purge: what the SQLite store did before it had one.
    const kept = await runSteadyLoad({ days: DAYS, jobsPerDay: PER_DAY, purge: false });
    report.cases = purged.jobs;
    report.faults = DAYS;
    report.lost = purged.missing.length;
    for (const [name, load] of [
      ['with the purge', purged],
      ['without a purge', kept],
    ] as const) {
      const line = [1, 7, 14, STEADY_FROM, 23, DAYS]
        .map((day) => at(load.days, day))
        .map((d) => `day ${d.day} ${kib(d.bytes)} / ${d.rows} rows (${d.expiredRows} expired)`)
        .join(', ');
      report.note(`${name}: ${line}; day ${DAYS} ÷ day ${STEADY_FROM}: ×${growth(load.days).toFixed(2)}`);
    }
    report.note(
      `${purged.jobs} jobs (plus 2 never finished) on the simulated clock; faults = simulated days; lost = jobs that should still be readable (finished in the last 14 days, or unfinished) but are not: ${purged.missing.length}`,
    );

    expect(purged.missing, 'live jobs the purge took').toEqual([]);
    expect(growth(purged.days), 'file growth once as many rows expire as are written').toBeLessThan(1.1);
    expect(at(purged.days, DAYS).expiredRows, 'expired rows left after the last purge').toBeLessThan(PER_DAY);
    expect(growth(kept.days), 'without a purge the same load keeps growing').toBeGreaterThan(1.5);
  });
});
