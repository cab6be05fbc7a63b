import { expect } from 'vitest';
import type { RouteMatch } from '../support/discord/stand-in.js';
import { anyEditOfReply } from './discord-fault-cases.js';
import { type CaseContext, CONTENT_POLICY, type FaultCase, msgIs } from './fault-case.js';
import type { InternalService } from './internal-service.js';
import type { Outcome } from './outcomes.js';
import { size } from './sizes.js';

const MIB = 1024 * 1024;
/** The bot runs with these (see lifecycle.rel.ts). */
export const LIFECYCLE_KIE_TIMEOUT_MS = 10_000;
export const LIFECYCLE_MAX_VIDEO_BYTES = 16 * MIB;
/** createTask's answer comes this late; the task is done (and Kie calls back) long before. */
const LATE_ANSWER_MS = 4_000;
/** More than the server's own 10 MiB (a new message's limit), less than the member's 50 MiB (Nitro). */
const BETWEEN_LIMITS = 12 * MIB;
const NITRO_LIMIT = 50 * MIB;
const ALMOST_EXPIRED = (14 * 60 + 50) * 1000;

const answerLate = (ctx: CaseContext) =>
  void ctx.world.kie.fault({
    route: 'createTask',
    kind: 'late',
    delayMs: LATE_ANSWER_MS,
    apiKey: ctx.guild.key,
    times: 1,
  });

/** The job's callback was accepted before createTask answered: Kie woke it while it was `pending`. */
function wokenWhilePending(ctx: CaseContext, outcome: Outcome): void {
  const jobId = outcome.jobs[0]?.id;
  const logs = ctx.world.logs();
  const woken = logs.findIndex((l) => l.msg === 'kie callback accepted' && l.jobId === jobId);
  const submitted = logs.findIndex((l) => l.msg === 'job submitted' && l.jobId === jobId);
  expect(woken, 'Kie’s callback reached the bot').toBeGreaterThanOrEqual(0);
  expect(woken, 'before createTask answered').toBeLessThan(submitted);
  expect(outcome.jobs.map((job) => job.failure?.key)).not.toContain('job.failed.lostTask');
}

/** Kie accepted the task late and already finished it (so it calls back at once). */
export const earlyCallbackCases: FaultCase[] = [
  {
    id: 'E1',
    name: 'Kie calls back while the job is still pending (createTask answers 4 s late): delivered, not failed as lost',
    faults: 1,
    deliverable: true,
    arm: answerLate,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, { kind: 'success' }),
    expect: { kind: 'delivered', status: 'delivered', log: msgIs('job delivered') },
    bounds: { createTask: 1 },
    check: wokenWhilePending,
  },
  {
    id: 'E2',
    name: 'an early callback for a task Kie refused: the member gets Kie’s reason, not “lost”',
    faults: 1,
    arm: answerLate,
    onTask: (ctx, taskId) => ctx.world.kie.finish(taskId, CONTENT_POLICY.outcome),
    expect: { kind: 'failed', text: CONTENT_POLICY.text, status: 'failed' },
    bounds: { createTask: 1 },
    check: wokenWhilePending,
  },
];

const channelPost =
  (ctx: CaseContext): RouteMatch =>
  (e) =>
    e.method === 'POST' && e.route === `/channels/${ctx.guild.channel}/messages`;

/** The new message's upload was refused as too large, so what reached the member is the link. */
function refusedOnPost(ctx: CaseContext): void {
  const posts = ctx.world.discord.log.filter((e) => channelPost(ctx)(e));
  expect(
    posts.filter((e) => e.status === 413 && e.files.length > 0),
    'a post of the file refused with 40005',
  ).toHaveLength(1);
  expect(posts.filter((e) => e.status < 300 && e.files.length === 0)).toHaveLength(1);
}

/** The video is larger than the server's limit, within the member's: only the new-message route refuses it. */
const finishBetweenLimits = (ctx: CaseContext, taskId: string) =>
  ctx.world.kie.finish(taskId, { kind: 'success', videoBytes: BETWEEN_LIMITS });

const LINK_POSTED: FaultCase['expect'] = {
  kind: 'linked',
  via: 'channel-post',
  status: 'delivered',
  log: msgIs('Discord refused the upload as too large; delivering a link'),
};

export const postTooLargeCases: FaultCase[] = [
  {
    id: 'P1',
    name: 'token expired and the reply deleted; the new message refuses the 12 MB video (40005, the server’s 10 MB): a link is posted',
    faults: 2,
    deliverable: true,
    tokenAgeMs: ALMOST_EXPIRED,
    animate: { attachmentSizeLimit: NITRO_LIMIT },
    onTask: (ctx, taskId) => {
      const reply = ctx.interaction ? ctx.world.discord.original(ctx.interaction) : undefined;
      if (reply) ctx.world.discord.messages.delete(reply.id);
      finishBetweenLimits(ctx, taskId);
    },
    expect: LINK_POSTED,
    check: refusedOnPost,
  },
  {
    id: 'P2',
    name: 'every edit of the reply fails (503); the new message refuses the 12 MB video with 40005: a link is posted',
    faults: 2,
    deliverable: true,
    animate: { attachmentSizeLimit: NITRO_LIMIT },
    arm: (ctx) =>
      void ctx.world.discord.intercept(anyEditOfReply(ctx), {
        status: 503,
        json: { message: 'Service Unavailable', code: 0 },
      }),
    onTask: finishBetweenLimits,
    expect: LINK_POSTED,
    check: refusedOnPost,
  },
];

/** Kie's result URL (a configured origin) answers with a redirect to `location`. */
const redirectTo = (status: number, location: string) => (ctx: CaseContext, taskId: string) =>
  ctx.world.kie.finish(taskId, { kind: 'success', resultAnswer: { status, headers: { location } } });

/** Refused at once and for good: one request to the result URL, nothing of the service anywhere in Discord. */
const nothingReached = (internal: InternalService) => (ctx: CaseContext, outcome: Outcome) => {
  expect(internal.connections(), 'connections to the internal service').toBe(0);
  expect(outcome.videoUploads, 'uploads').toBe(0);
  const token = ctx.interaction?.token ?? '-';
  const mine = ctx.world.discord.log.filter(
    (e) => e.route.includes(token) || e.route.startsWith(`/channels/${ctx.guild.channel}/`),
  );
  expect(mine.filter((e) => e.files.length > 0)).toEqual([]);
  expect(JSON.stringify(mine.map((e) => e.json))).not.toContain(internal.marker);
  const task = [...ctx.world.kie.tasks.values()].find((t) => t.apiKey === ctx.guild.key);
  const told = mine.findLast((e) => e.status < 300 && e.method === 'PATCH');
  expect(task?.completedAt, 'the task ended').toBeTypeOf('number');
  expect((told?.at ?? Number.POSITIVE_INFINITY) - (task?.completedAt ?? 0), 'told within 30 s').toBeLessThan(
    30_000,
  );
};

export function ssrfCases(internal: InternalService): FaultCase[] {
  const checks = nothingReached(internal);
  const refused = (reason: string) => ({
    kind: 'failed' as const,
    status: 'failed',
    text: reason,
    log: msgIs('video download failed; will try again'),
  });
  return [
    {
      id: 'S1',
      name: 'the result URL redirects (302) to http://127.0.0.1:<internal port>, which serves an MP4: refused, told at once',
      faults: 1,
      onTask: redirectTo(302, `http://127.0.0.1:${internal.port}/admin/video.mp4`),
      expect: refused('redirect 1: http:// is not allowed (https only)'),
      bounds: { result: 1 },
      check: checks,
    },
    {
      id: 'S2',
      name: 'the result URL redirects (307) to https://localhost:<internal port>: refused when it resolves, told at once',
      faults: 1,
      onTask: redirectTo(307, `https://localhost:${internal.port}/admin`),
      expect: refused('localhost resolves to'),
      bounds: { result: 1 },
      check: checks,
    },
    {
      id: 'S3',
      name: 'the result URL redirects (301) to the cloud metadata address https://169.254.169.254: refused, told at once',
      faults: 1,
      onTask: redirectTo(301, 'https://169.254.169.254/latest/meta-data/iam/'),
      expect: refused('169.254.169.254 is a link-local address'),
      bounds: { result: 1 },
      check: checks,
    },
  ];
}

/** Download attempts of a task's video: each begins at the bare result URL (a fresh link follows a refusal). */
export function downloadAttempts(ctx: CaseContext, taskId: string): number {
  return ctx.world.kie.requests.filter(
    (r) => r.route === 'result' && r.path.includes(taskId) && r.query.token === undefined,
  ).length;
}

const OUTAGE_MS = size.lifecycle.downloadOutageMs;
/**
 * Past the pre-redesign bot's six attempts (the last ≤ 78 s after the first) and today's sixth
 * (≤ 194 s: 5, 10, 20, 40, 80 s apart, each ×0.75–1.25), before today's seventh (≥ 236 s).
 */
export const longDownloadCases: FaultCase[] =
  OUTAGE_MS === null
    ? []
    : [
        {
          id: 'L1',
          name: `the result URL answers 503 for ${OUTAGE_MS / 1000} s after the task ends, then recovers: delivered, more than 6 attempts`,
          faults: 1,
          deliverable: true,
          timeoutMs: OUTAGE_MS + 300_000,
          onTask: (ctx, taskId) => {
            const outage = ctx.world.kie.fault({ route: 'result', kind: 'status', code: 503, taskId });
            ctx.world.kie.finish(taskId, { kind: 'success' });
            setTimeout(() => outage.remove(), OUTAGE_MS).unref();
          },
          expect: {
            kind: 'delivered',
            status: 'delivered',
            log: msgIs('video download failed; will try again'),
          },
          check: (ctx) => {
            const task = [...ctx.world.kie.tasks.values()].find((t) => t.apiKey === ctx.guild.key);
            expect(downloadAttempts(ctx, task?.taskId ?? '-')).toBeGreaterThan(6);
          },
        },
      ];
