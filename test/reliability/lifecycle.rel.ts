import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/bot-process.js';
import { runFaultCases } from './case-runner.js';
import { simulateDownloadOutage } from './download-outage.js';
import type { FaultCase } from './fault-case.js';
import { startInternalService } from './internal-service.js';
import {
  earlyCallbackCases,
  LIFECYCLE_KIE_TIMEOUT_MS,
  LIFECYCLE_MAX_VIDEO_BYTES,
  longDownloadCases,
  postTooLargeCases,
  ssrfCases,
} from './lifecycle-cases.js';
import { orphanTasks } from './outcomes.js';
import { SectionReport } from './report.js';
import { size } from './sizes.js';

/** Issue 13's fault classes that one bot with Kie callbacks on can show, each its own row. */
const reports = {
  E: new SectionReport('7 early callback'),
  L: new SectionReport('8 long download outage'),
  P: new SectionReport('9 40005 on post'),
  S: new SectionReport('10 SSRF redirect'),
};
const reportOf = (c: FaultCase) => reports[c.id[0] as keyof typeof reports];

const internal = await startInternalService('internal-admin: db password hunter2');
afterAll(() => internal.close());

/** What the member was told when the media policy refused the video's URL, by case. */
const refusedTexts = new Map<string, string>();

const cases = [...earlyCallbackCases, ...postTooLargeCases, ...ssrfCases(internal), ...longDownloadCases];
const callbackPort = await freePort();
runFaultCases({
  title: 'lifecycle holes (issue 13), one guild per case, one bot with Kie callbacks',
  cases,
  reports: Object.values(reports),
  reportOf,
  world: {
    kie: {
      script: {
        steps: [
          { state: 'queuing', ms: 300 },
          { state: 'generating', ms: 2_500 },
        ],
        outcome: { kind: 'success' },
      },
      callbackRetryDelayMs: 100,
    },
    botEnv: {
      HTTP_PORT: String(callbackPort),
      PUBLIC_URL: `http://127.0.0.1:${callbackPort}`,
      KIE_TIMEOUT_MS: String(LIFECYCLE_KIE_TIMEOUT_MS),
      MAX_VIDEO_BYTES: String(LIFECYCLE_MAX_VIDEO_BYTES),
      DISCORD_REST_RETRIES: '3',
    },
  },
  check: (c, _, outcome) => {
    if (c.id.startsWith('S')) refusedTexts.set(c.id, outcome.text);
  },
  // A task no record names was paid for and can never be delivered.
  finish: (world, jobs) => {
    const orphans = new Set(orphanTasks(world.kie.tasks.keys(), jobs));
    cases.forEach((c, index) => {
      const key = world.guild(index).key;
      for (const task of world.kie.tasks.values())
        if (task.apiKey === key && orphans.has(task.taskId)) reportOf(c).orphans += 1;
    });
  },
});

const OUTAGE_MINUTES = size.lifecycle.simulatedOutageMinutes;
describe('a long download outage on the runner’s clock', () => {
  it(`L2 the result URL answers 503 for ${OUTAGE_MINUTES} simulated minutes, then recovers: delivered once, more than 6 attempts`, async () => {
    reports.L.cases += 1;
    reports.L.faults += 1;
    const outage = await simulateDownloadOutage(OUTAGE_MINUTES);
    reports.L.note(
      `L2: ${outage.attempts} download attempts over ${outage.minutes.toFixed(0)} simulated minutes; store ${outage.job?.status}; ${outage.uploads.length} upload(s), ${outage.failures.length} failure message(s)`,
    );
    if (outage.uploads.length === 0) reports.L.lost += 1;
    if (outage.uploads.length > 1) reports.L.duplicates += 1;
    expect(outage.job?.status).toBe('delivered');
    expect(outage.uploads).toHaveLength(1);
    expect(outage.failures).toEqual([]);
    expect(outage.attempts).toBeGreaterThan(6);
    expect(outage.minutes).toBeGreaterThanOrEqual(OUTAGE_MINUTES);
  });
});

describe('how a refused result URL is told', () => {
  // F-L1, found by this section and fixed: it once said "two hours" of trying went by.
  it('says at once that Kie gave an address the bot does not fetch, not that it tried for hours', () => {
    const told = [...refusedTexts.values()];
    expect(told.length).toBeGreaterThan(0);
    for (const text of told) {
      expect(text).toContain('does not fetch');
      expect(text).not.toMatch(/two hours/);
    }
  });
});
