import { expect } from 'vitest';
import type { FaultRule } from '../support/kie/stand-in.js';
import { type CaseContext, CONTENT_POLICY, en, type FaultCase, msgIs } from './fault-case.js';
import { size } from './sizes.js';

const MIB = 1024 * 1024;
/** The bot runs with these (see faults.rel.ts): a slow answer is one past the timeout. */
export const KIE_TIMEOUT_MS = 4_000;
export const MAX_VIDEO_BYTES = 3 * MIB;

const STORM = size.storm;
const fault = (rule: Omit<FaultRule, 'apiKey'>) => (ctx: CaseContext) =>
  void ctx.world.kie.fault({ ...rule, apiKey: ctx.guild.key });
const kieCallFailed = msgIs('kie call failed');
const pollRetry = msgIs('recordInfo failed; polling again later');
const delivered = msgIs('job delivered');

/** Kie's faults, one guild each. The client tries a call at most 5 times (4 retries). */
export const kieFaultCases: FaultCase[] = [
  {
    id: 'K1',
    name: `createTask 429 storm (${STORM} in a row): told Kie is busy, at most 5 tries`,
    faults: STORM,
    arm: fault({ route: 'createTask', kind: 'status', code: 429, times: STORM }),
    expect: { kind: 'failed', text: en('error.kie.rateLimited'), status: 'failed', log: kieCallFailed },
    bounds: { createTask: 5 },
  },
  {
    id: 'K2',
    name: 'createTask 429 twice, then accepted: delivered after 3 tries',
    faults: 2,
    arm: fault({ route: 'createTask', kind: 'status', code: 429, times: 2 }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { createTask: 3 },
  },
  {
    id: 'K3',
    name: `recordInfo 429 storm (${STORM}): polling backs off and the video arrives`,
    faults: STORM,
    arm: fault({ route: 'recordInfo', kind: 'status', code: 429, times: STORM }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { createTask: 1, recordInfo: STORM + 15 },
  },
  {
    id: 'K4',
    name: 'createTask 500 run: not repeated (Kie may have kept it), told of a Kie problem',
    faults: 3,
    arm: fault({ route: 'createTask', kind: 'status', code: 500, times: 3 }),
    expect: { kind: 'failed', text: en('error.kie.upstream', { detail: 'upstream' }), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K5',
    name: `recordInfo 5xx run (${STORM}): delivered`,
    faults: STORM,
    arm: fault({ route: 'recordInfo', kind: 'status', code: 503, times: STORM }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { recordInfo: STORM + 15 },
  },
  {
    id: 'K6',
    name: 'createTask answered by a CDN HTML page: not repeated, told it may have started',
    faults: 1,
    arm: fault({ route: 'createTask', kind: 'html', httpStatus: 502, times: 1 }),
    expect: { kind: 'failed', text: en('error.kie.ambiguousSubmit'), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K7',
    name: 'recordInfo HTML pages (3): delivered',
    faults: 3,
    arm: fault({ route: 'recordInfo', kind: 'html', httpStatus: 502, times: 3 }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { recordInfo: 20 },
  },
  {
    id: 'K8',
    name: 'createTask slower than KIE_TIMEOUT_MS: not repeated, told it may have started',
    faults: 1,
    arm: fault({ route: 'createTask', kind: 'slow', delayMs: KIE_TIMEOUT_MS + 4_000, times: 1 }),
    expect: { kind: 'failed', text: en('error.kie.ambiguousSubmit'), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K9',
    name: 'recordInfo slower than KIE_TIMEOUT_MS (2): delivered',
    faults: 2,
    arm: fault({ route: 'recordInfo', kind: 'slow', delayMs: KIE_TIMEOUT_MS + 2_000, times: 2 }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { recordInfo: 20 },
  },
  {
    id: 'K10',
    name: 'createTask answers malformed JSON: not repeated, told it may have started',
    faults: 1,
    arm: fault({ route: 'createTask', kind: 'malformed', times: 1 }),
    expect: { kind: 'failed', text: en('error.kie.ambiguousSubmit'), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K11',
    name: 'recordInfo answers malformed JSON (3): delivered',
    faults: 3,
    arm: fault({ route: 'recordInfo', kind: 'malformed', times: 3 }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { recordInfo: 20 },
  },
  {
    id: 'K12',
    name: 'recordInfo answers the wrong shape (3): delivered',
    faults: 3,
    arm: fault({ route: 'recordInfo', kind: 'wrong-shape', times: 3 }),
    expect: { kind: 'delivered', status: 'delivered', log: pollRetry },
    bounds: { recordInfo: 20 },
  },
  {
    id: 'K13',
    name: 'createTask connection dropped: not repeated, told it may have started',
    faults: 1,
    arm: fault({ route: 'createTask', kind: 'drop', times: 1 }),
    expect: { kind: 'failed', text: en('error.kie.ambiguousSubmit'), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K14',
    name: 'a task that never finishes: the job expires at JOB_DEADLINE_MINUTES=1',
    faults: 1,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, { kind: 'never' }),
    expect: { kind: 'failed', text: en('job.expired', { minutes: 1 }), status: 'expired' },
    bounds: { createTask: 1, recordInfo: 40 },
  },
  {
    id: 'K15',
    name: 'Kie forgets the task id: told Kie no longer knows the job',
    faults: 1,
    onTask: (ctx, taskId) => void ctx.world.kie.tasks.delete(taskId),
    expect: { kind: 'failed', text: en('job.failed.unknownTask'), status: 'failed' },
    bounds: { createTask: 1, recordInfo: 6 },
  },
  {
    id: 'K16',
    name: 'the result URL answers 404 (Kie’s fresh link too): retried with growing gaps, still delivering',
    faults: 1,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, { kind: 'success', resultUrlStatus: 404 }),
    expect: {
      kind: 'open',
      status: 'delivering',
      retries: 3,
      log: msgIs('video download failed; will try again'),
    },
    bounds: { createTask: 1, result: 10, 'download-url': 5 },
    check: (ctx) => {
      const task = [...ctx.world.kie.tasks.values()].find((t) => t.apiKey === ctx.guild.key);
      const starts = ctx.world.kie.requests
        .filter((r) => r.route === 'result' && r.path.includes(task?.taskId ?? '-') && !r.query.token)
        .map((r) => r.at);
      const gaps = starts.slice(1).map((at, index) => at - (starts[index] ?? at));
      expect(gaps.length, 'gaps between attempts').toBeGreaterThanOrEqual(2);
      for (const [index, gap] of gaps.slice(1).entries()) expect(gap).toBeGreaterThan(gaps[index] ?? 0);
    },
  },
  {
    id: 'K17',
    name: 'the video is larger than MAX_VIDEO_BYTES: linked, with the limit that applies',
    faults: 1,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, { kind: 'success', videoBytes: 4 * MIB }),
    expect: { kind: 'linked', text: '3.0 MB', status: 'delivered', log: delivered },
    bounds: { result: 2 },
  },
  {
    id: 'K18',
    name: 'the video is larger than the channel upload limit: linked, sizes named',
    faults: 1,
    animate: { attachmentSizeLimit: 1 * MIB },
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, { kind: 'success', videoBytes: 2 * MIB }),
    expect: {
      kind: 'linked',
      text: 'It is 2.0 MB, more than this reply can carry (1.0 MB)',
      status: 'delivered',
    },
    bounds: { result: 2 },
  },
  {
    id: 'K19',
    name: 'Kie fails the task under its content policy: the reason is shown',
    faults: 1,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, CONTENT_POLICY.outcome),
    expect: { kind: 'failed', text: CONTENT_POLICY.text, status: 'failed' },
  },
  {
    id: 'K20',
    name: 'createTask 402: told the account is out of credits',
    faults: 1,
    arm: fault({ route: 'createTask', kind: 'status', code: 402, times: 1 }),
    expect: { kind: 'failed', text: en('error.kie.insufficientCredits'), status: 'failed' },
    bounds: { createTask: 1 },
  },
  {
    id: 'K21',
    name: `createTask 455 maintenance (${STORM}): told Kie is under maintenance`,
    faults: STORM,
    arm: fault({ route: 'createTask', kind: 'status', code: 455, times: STORM }),
    expect: { kind: 'failed', text: en('error.kie.maintenance'), status: 'failed' },
    bounds: { createTask: 5 },
  },
  {
    id: 'K22',
    name: `the image upload to Kie fails (${STORM} × 500): refused before createTask`,
    faults: STORM,
    arm: fault({ route: 'upload', kind: 'status', code: 500, times: STORM }),
    expect: { kind: 'failed', text: en('error.kie.upstream', { detail: 'upstream' }) },
    bounds: { createTask: 0, upload: 5 },
  },
  {
    id: 'K23',
    name: 'recordInfo connections dropped (3): delivered',
    faults: 3,
    arm: fault({ route: 'recordInfo', kind: 'drop', times: 3 }),
    expect: { kind: 'delivered', status: 'delivered', log: kieCallFailed },
    bounds: { recordInfo: 20 },
  },
];
