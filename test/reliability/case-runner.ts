import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../../src/services/kie/secrets.js';
import type { LogLine } from '../support/bot-process.js';
import type { CaseContext, FaultCase } from './fault-case.js';
import { judge, type Outcome } from './outcomes.js';
import type { SectionReport } from './report.js';
import { sleep, until } from './sizes.js';
import { readJobs, type StoredJob } from './store-reader.js';
import { RelWorld, type RelWorldOptions } from './world.js';

const TERMINAL = new Set(['delivered', 'failed', 'expired', 'cancelled']);
const DELIVERED = new Set(['delivered', 'linked']);
const COUNTED_ROUTES = ['createTask', 'recordInfo', 'upload', 'result', 'download-url'] as const;

export interface CaseRunOptions {
  /** The describe block's title. */
  title: string;
  cases: FaultCase[];
  /** The summary-table rows this run fills in (and saves once it ends). */
  reports: SectionReport[];
  /** The row a case counts in. */
  reportOf(c: FaultCase): SectionReport;
  /** The bot and stand-ins the cases share; one guild (key, channel) per case is added. */
  world: Omit<RelWorldOptions, 'guilds'>;
  /** How long a case may take to end, unless it says otherwise. Default 150 s. */
  timeoutMs?: number;
  /** Checks every case gets after its own (e.g. a known misnamed failure). */
  check?(c: FaultCase, ctx: CaseContext, outcome: Outcome): void;
  /** Figures read before the world closes (orphan tasks, notes). */
  finish?(world: RelWorld, jobs: StoredJob[]): void;
}

/**
 * Runs fault cases in one bot, each in a guild of its own: sends every case's command, then
 * judges each case as its own test and counts it in its row of the summary table. A case is
 * lost when its interaction never ended, or, for a case whose video Kie made and can serve
 * (`deliverable`), when neither the video nor its link reached the member.
 */
export function runFaultCases(options: CaseRunOptions): void {
  const { cases, reports } = options;
  let world: RelWorld;
  const contexts = new Map<string, CaseContext>();
  let watcher: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    world = await RelWorld.create({ ...options.world, guilds: cases.length });
    await world.startBot(120_000);
    cases.forEach((c, index) => {
      const ctx: CaseContext = { world, guild: world.guild(index) };
      contexts.set(c.id, ctx);
      c.arm?.(ctx);
    });
    watcher = watchCases(world, cases, contexts);
    for (const [index, c] of cases.entries()) {
      const ctx = contexts.get(c.id) as CaseContext;
      ctx.interaction = world.animate({
        guild: index,
        prompt: `${c.id}: the cat waves at the camera`,
        ...c.animate,
        ...(c.tokenAgeMs === undefined ? {} : { createdAt: world.discord.clock.now() - c.tokenAgeMs }),
      });
      await sleep(150);
    }
  }, 300_000);

  afterAll(async () => {
    clearInterval(watcher);
    if (world) {
      options.finish?.(world, await readJobs(world.env));
      for (const report of reports) report.crashes = world.crashes().length;
      await world.close();
    }
    for (const report of reports) report.save();
  });

  describe(options.title, () => {
    for (const c of cases) {
      const test = c.finding ? it.fails : it;
      test(`${c.id} ${c.name}`, async () => {
        const report = options.reportOf(c);
        report.cases += 1;
        report.faults += c.faults;
        const ctx = contexts.get(c.id) as CaseContext;
        const outcome = await finalOutcome(ctx, c, c.timeoutMs ?? options.timeoutMs ?? 150_000);
        const counts = Object.fromEntries(COUNTED_ROUTES.map((route) => [route, routeCount(ctx, route)]));
        const line = c.expect.log
          ? world.logs().find((l) => aboutCase(ctx, outcome.jobs)(l) && c.expect.log?.(l))
          : undefined;
        report.note(
          `${c.id}: ${outcome.kind}${outcome.via === 'none' ? '' : ` via ${outcome.via}`}, store ${outcome.jobs.map((j) => j.status).join('/') || '—'}, Kie ${JSON.stringify(counts)}; said “${outcome.text.replace(/\s+/g, ' ').slice(0, 300)}”; log ${line ? `“${line.msg}”` : 'none'}`,
        );
        if (lost(c, outcome)) report.lost += 1;
        if (outcome.videoMessages > 1) report.duplicates += 1;
        try {
          expect(outcome.kind).toBe(c.expect.kind);
          if (c.expect.via) expect(outcome.via).toBe(c.expect.via);
          if (c.expect.text) expect(outcome.text).toContain(c.expect.text);
          if (c.expect.status) expect(outcome.jobs.map((job) => job.status)).toEqual([c.expect.status]);
          if (c.expect.retries !== undefined)
            expect(
              Math.min(...outcome.jobs.map(retriesOf)),
              'failed delivery attempts of a job still delivering',
            ).toBeGreaterThanOrEqual(c.expect.retries);
          for (const [route, bound] of Object.entries(c.bounds ?? {})) {
            expect(counts[route], `${route} requests`).toBeLessThanOrEqual(bound);
          }
          expect(outcome.videoMessages).toBeLessThanOrEqual(1);
          if (c.expect.log) expect(line, 'a log line saying what happened').toBeDefined();
          expect(world.bot.exitCode, 'the bot process is still running').toBeUndefined();
          await c.check?.(ctx, outcome);
          options.check?.(c, ctx, outcome);
        } catch (error) {
          if (c.finding) report.finding(c.finding);
          else console.log(trail(ctx, outcome));
          throw error;
        }
      });
    }

    it('the bot process never crashed', () => {
      expect(world.crashes()).toHaveLength(0);
      expect(world.bot.exitCode).toBeUndefined();
    });
  });
}

/** Runs each case's `onTask` once Kie has its task, and `onQueued` once its reply shows the queued status. */
function watchCases(world: RelWorld, cases: FaultCase[], contexts: Map<string, CaseContext>) {
  const seenTask = new Set<string>();
  const seenQueued = new Set<string>();
  return setInterval(() => {
    for (const c of cases) {
      const ctx = contexts.get(c.id);
      if (!ctx?.interaction) continue;
      if (c.onTask && !seenTask.has(c.id)) {
        const task = [...world.kie.tasks.values()].find((t) => t.apiKey === ctx.guild.key);
        if (task) {
          seenTask.add(c.id);
          c.onTask(ctx, task.taskId);
        }
      }
      const token = ctx.interaction.token;
      if (c.onQueued && !seenQueued.has(c.id)) {
        const queued = world.discord.log.some(
          (e) => e.method === 'PATCH' && e.route.includes(token) && e.status < 300,
        );
        if (queued) {
          seenQueued.add(c.id);
          c.onQueued(ctx);
        }
      }
    }
  }, 50);
}

/** Requests the Kie stand-in saw for a case: by its key, and result links of its tasks. */
export function routeCount(ctx: CaseContext, route: string): number {
  const { key } = ctx.guild;
  const tasks = [...ctx.world.kie.tasks.values()]
    .filter((task) => task.apiKey === key)
    .map((task) => task.taskId);
  return ctx.world.kie.requests.filter((request) => {
    if (route === 'result')
      return request.route === 'result' && tasks.some((id) => request.path.includes(id));
    if (request.apiKey !== key) return false;
    if (route === 'upload') return request.route.startsWith('file-') && request.route.endsWith('-upload');
    return request.route === route;
  }).length;
}

/** A log line about this case: its guild, one of its jobs, or its key; lines naming none of those count too. */
export function aboutCase(ctx: CaseContext, jobs: StoredJob[]) {
  const ids = new Set(jobs.map((job) => job.id));
  const hashed = keyId(ctx.guild.key).slice(0, 8);
  return (line: LogLine) => {
    const named = line.guildId !== undefined || line.jobId !== undefined || line.keyId !== undefined;
    return !named || line.guildId === ctx.guild.id || ids.has(String(line.jobId)) || line.keyId === hashed;
  };
}

/** Failed delivery attempts a job has behind it while it is still `delivering`. */
function retriesOf(job: StoredJob): number {
  return job.status === 'delivering' && typeof job.deliveryAttempts === 'number' ? job.deliveryAttempts : 0;
}

/** Still being delivered, as the case expects: the bot keeps trying for two hours. */
function retrying(c: FaultCase, outcome: Outcome): boolean {
  const wanted = c.expect.retries;
  return (
    wanted !== undefined && outcome.jobs.length > 0 && outcome.jobs.every((job) => retriesOf(job) >= wanted)
  );
}

function lost(c: FaultCase, outcome: Outcome): boolean {
  if (outcome.kind === 'open') return !retrying(c, outcome);
  return c.deliverable === true && !DELIVERED.has(outcome.kind);
}

/** The case's outcome once its jobs ended (or, for a retrying case, once they failed enough attempts). */
async function finalOutcome(ctx: CaseContext, c: FaultCase, timeoutMs: number): Promise<Outcome> {
  const interaction = ctx.interaction;
  if (!interaction) throw new Error('the case was never sent');
  let outcome: Outcome | undefined;
  await until(
    async () => {
      outcome = judge(ctx.world.discord, interaction, await readJobs(ctx.world.env));
      if (retrying(c, outcome)) return true;
      // 'unseen' (every job ended, nothing shown yet) also waits: the reply's edit follows the
      // record's last write, and on a loaded machine it can land a poll or two later.
      if (outcome.kind === 'open' || outcome.kind === 'unseen') return false;
      return outcome.jobs.every((job) => TERMINAL.has(job.status));
    },
    timeoutMs,
    500,
  );
  return outcome ?? judge(ctx.world.discord, interaction, await readJobs(ctx.world.env));
}

/** What Discord saw and what the bot logged for a case, for a failure's report. */
function trail(ctx: CaseContext, outcome: Outcome): string {
  const token = ctx.interaction?.token ?? '-';
  const rest = ctx.world.discord.log
    .filter((e) => e.route.includes(token) || e.route.startsWith(`/channels/${ctx.guild.channel}/`))
    .map(
      (e) =>
        `  ${e.method} ${e.route.replace(token, '<token>')} → ${e.status}${e.files.length ? ' (+file)' : ''}`,
    );
  const about = aboutCase(ctx, outcome.jobs);
  const logs = ctx.world
    .logs()
    .filter((l) => about(l) && (l.guildId !== undefined || l.jobId !== undefined))
    .map(
      (l) => `  ${l.msg} ${JSON.stringify({ code: l.code, err: (l.err as { message?: string })?.message })}`,
    );
  return [`${outcome.interaction.id} REST:`, ...rest, 'log:', ...logs].join('\n');
}
