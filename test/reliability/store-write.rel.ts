import { afterAll, describe, expect, it } from 'vitest';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import type { Interaction } from '../support/discord/stand-in.js';
import { countBy, judge, type Outcome, orphanTasks } from './outcomes.js';
import { OwnRedis } from './redis-server.js';
import { SectionReport } from './report.js';
import { size, sleep, until } from './sizes.js';
import { readJobs } from './store-reader.js';
import { HELD_TASK, newMember, RelWorld } from './world.js';

const { jobsPerMode: PER_MODE, failureMs: FAILURE_MS } = size.storeWrite;
const report = new SectionReport('6 store write failure after createTask');
afterAll(() => report.save());

/** Kie's answer to createTask comes this late: the store fails between Kie taking the task and its answer. */
const ANSWER_LATE_MS = 5_000;

/**
 * How the store fails right after Kie took the task: Redis refuses every write (full: OOM under
 * `noeviction`, reads still work), or the Redis server is stopped (connection refused).
 */
const MODES = ['refused', 'stopped'] as const;
type Mode = (typeof MODES)[number];

interface Sent {
  mode: Mode;
  guild: number;
  member: string;
  interaction: Interaction;
}

describe('store write failure after createTask', () => {
  it(`delivers ${PER_MODE} jobs whose 'submitted' write Redis refused and ${PER_MODE} whose Redis was stopped, each once, places kept`, async () => {
    const redis = await OwnRedis.start();
    const world = await RelWorld.create({
      guilds: MODES.length * PER_MODE,
      redisUrl: redis.url,
      kie: { script: HELD_TASK },
      botEnv: { LOG_LEVEL: 'info' },
    });
    const keyv = openKeyv(redis.url, { namespace: world.env.STORE_NAMESPACE });
    try {
      await world.startBot(120_000);
      const sent: Sent[] = [];
      for (const [m, mode] of MODES.entries()) {
        const guilds = Array.from({ length: PER_MODE }, (_, n) => m * PER_MODE + n);
        for (const guild of guilds) {
          world.kie.fault({
            route: 'createTask',
            kind: 'late',
            delayMs: ANSWER_LATE_MS,
            apiKey: world.guild(guild).key,
            times: 1,
          });
          const member = newMember();
          sent.push({
            mode,
            guild,
            member,
            interaction: world.animate({ guild, user: member, prompt: `${mode} ${guild}: the cat waves` }),
          });
        }
        // Kie has every task of this mode (the answers are on their way): now the store fails.
        const accepted = await until(
          () => guilds.every((guild) => world.kieCount(guild, 'createTask') === 1),
          60_000,
          20,
        );
        expect(accepted, 'Kie received every createTask').toBe(true);
        if (mode === 'refused') await redis.refuseWrites();
        else await redis.stop();
        report.faults += 1;
        const failedAt = Date.now();
        await sleep(FAILURE_MS);
        if (mode === 'refused') await redis.acceptWrites();
        else await redis.resume();
        report.note(
          `${mode}: ${mode === 'refused' ? 'Redis refused every write (OOM, maxmemory 1 B, noeviction)' : 'redis-server stopped (SHUTDOWN SAVE), restarted on the same port and data'} for ${((Date.now() - failedAt) / 1000).toFixed(1)} s, from the moment Kie received ${PER_MODE} createTask(s) (answered ${ANSWER_LATE_MS} ms later)`,
        );
      }

      // Every video finishes once the store is back.
      for (const task of world.kie.tasks.values()) world.kie.finish(task.taskId, { kind: 'success' });
      const outcomes = async (): Promise<Outcome[]> => {
        const jobs = await readJobs(world.env);
        return sent.map((s) => judge(world.discord, s.interaction, jobs));
      };
      await until(
        async () => (await outcomes()).every((o) => o.kind !== 'open' && o.jobs[0]?.status === 'delivered'),
        120_000,
        1_000,
      );
      await sleep(1_000);
      const final = await outcomes();
      const jobs = await readJobs(world.env);
      const day = new Date().toISOString().slice(0, 10);
      const usage = await Promise.all(
        sent.map((s) => keyv.get<number>(`usage:${world.guild(s.guild).id}:${s.member}:${day}`)),
      );
      const logs = world.logs();
      const unsaved = logs.filter(
        (l) => l.msg === 'Kie accepted the task but its record could not be written; tracking it from memory',
      );
      const recorded = logs.filter((l) => l.msg === 'submitted job recorded at last');
      const orphans = orphanTasks(world.kie.tasks.keys(), jobs);

      report.cases = sent.length;
      report.lost = final.filter((o) => !['delivered', 'linked'].includes(o.kind)).length;
      report.duplicates = final.filter((o) => o.videoMessages > 1).length;
      report.crashes = world.crashes().length;
      report.orphans = orphans.length;
      for (const mode of MODES) {
        const mine = sent.flatMap((s, n) => (s.mode === mode ? [n] : []));
        report.note(
          `${mode}: outcomes ${JSON.stringify(countBy(mine, (n) => final[n]?.kind ?? '?'))}; createTask per job ${mine.map((n) => world.kieCount(sent[n]?.guild ?? 0, 'createTask')).join('/')}; the member's day count after ${mine.map((n) => String(usage[n])).join('/')}`,
        );
      }
      report.note(
        `“tracking it from memory”: ${unsaved.length}; “submitted job recorded at last”: ${recorded.length}; warnings/errors: ${JSON.stringify(
          countBy(
            logs.filter((l) => l.level >= 40),
            (l) => l.msg,
          ),
        )}`,
      );

      expect(world.crashes(), 'bot processes that died').toHaveLength(0);
      expect(
        final.map((o) => o.kind),
        'every paid video reached its member',
      ).toEqual(final.map(() => 'delivered'));
      expect(
        final.map((o) => o.videoMessages),
        'each once',
      ).toEqual(final.map(() => 1));
      expect(
        sent.map((s) => world.kieCount(s.guild, 'createTask')),
        'one task per job, never a second',
      ).toEqual(sent.map(() => 1));
      expect(usage, 'the member’s place stays spent (no refund for a task Kie took)').toEqual(
        sent.map(() => 1),
      );
      expect(orphans, 'tasks no record names').toEqual([]);
      const taskOf = (guild: number) =>
        [...world.kie.tasks.values()].find((task) => task.apiKey === world.guild(guild).key)?.taskId;
      expect(
        final.map((o) => o.jobs.map((job) => job.taskId)),
        'each record names the task Kie took for it',
      ).toEqual(sent.map((s) => [taskOf(s.guild)]));
      // The refusal hit the write itself: every one of those jobs went through memory and was written later.
      const refusedJobs = final.flatMap((o, n) =>
        sent[n]?.mode === 'refused' ? o.jobs.map((j) => j.id) : [],
      );
      expect(unsaved.map((l) => l.jobId)).toEqual(expect.arrayContaining(refusedJobs));
      expect(recorded.map((l) => l.jobId)).toEqual(expect.arrayContaining(refusedJobs));
    } finally {
      await keyv.disconnect().catch(() => undefined);
      await world.close();
      await redis.close();
    }
  });
});
