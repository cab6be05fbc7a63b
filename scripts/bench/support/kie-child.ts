// The Kie stand-in in a process of its own (started by kie-remote.ts), so the process under
// measurement does not also serve Kie. Options arrive in BENCH_KIE_OPTIONS; commands over IPC.
import { createModelRegistry } from '../../../src/services/models/registry.js';
import {
  type KieStandInOptions,
  startKieStandIn,
  type TaskOutcome,
  type TaskScript,
} from '../../../test/support/kie/stand-in.js';
import { type RequestRecord, rateStats } from './rates.js';

export type KieCommand =
  | { op: 'seed'; keys: string[]; perKey: number }
  | { op: 'stats'; from: number; to: number }
  | { op: 'finish'; taskIds: string[]; outcome: TaskOutcome }
  | { op: 'tasks'; taskIds: string[] }
  | { op: 'list' }
  | { op: 'polls'; from: number }
  | { op: 'setScript'; script: TaskScript }
  | { op: 'close' };

const options = JSON.parse(process.env.BENCH_KIE_OPTIONS ?? '{}') as KieStandInOptions;
const kie = await startKieStandIn(options);

/** Compact request log: the stand-in's full records (headers, bodies) would grow by the GB. */
const log: RequestRecord[] = [];
const drain = () => {
  for (const r of kie.requests) {
    const record: RequestRecord = { at: r.at, route: r.route, key: r.apiKey ?? '' };
    if (r.route === 'recordInfo' && r.query.taskId) record.taskId = r.query.taskId;
    log.push(record);
  }
  kie.requests.length = 0;
};
const drainTimer = setInterval(drain, 250);

const model = 'sora-2-image-to-video';
const input =
  createModelRegistry()
    .get(model)
    ?.buildInput({
      imageUrl: `${kie.url}/files/bench/cat.png`,
      options: {
        prompt: 'benchmark',
        aspectRatio: 'landscape',
        aspectFromImage: true,
        durationSeconds: 10,
        removeWatermark: true,
        extra: {},
      },
    }) ?? {};

/** One createTask; a connection lost under load is tried again (a duplicate task is harmless here). */
async function createTask(key: string): Promise<{ code: number; msg: string; data?: { taskId: string } }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(`${kie.url}/api/v1/jobs/createTask`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'user-agent': 'bench',
        },
        body: JSON.stringify({ model, input }),
      });
      return (await response.json()) as { code: number; msg: string; data?: { taskId: string } };
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** Creates `perKey` tasks for every key through the HTTP API, 64 requests at a time. */
async function seed(keys: string[], perKey: number): Promise<string[][]> {
  const ids = keys.map(() => [] as string[]);
  const work = keys.flatMap((key, k) => Array.from({ length: perKey }, () => ({ key, k })));
  let next = 0;
  const worker = async () => {
    for (;;) {
      const item = work[next++];
      if (!item) return;
      const body = await createTask(item.key);
      if (body.code !== 200 || !body.data) throw new Error(`seeding createTask: ${body.code} ${body.msg}`);
      ids[item.k]?.push(body.data.taskId);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return ids;
}

async function run(command: KieCommand): Promise<unknown> {
  switch (command.op) {
    case 'seed': {
      const taskIds = await seed(command.keys, command.perKey);
      drain();
      log.length = 0;
      return taskIds;
    }
    case 'stats':
      drain();
      return rateStats(log.filter((r) => r.at >= command.from && r.at <= command.to));
    case 'finish': {
      const at = Date.now();
      for (const id of command.taskIds) kie.finish(id, command.outcome);
      return at;
    }
    case 'tasks':
      return command.taskIds.map((id) => {
        const task = kie.tasks.get(id);
        return task ? { state: task.state, completedAt: task.completedAt, createdAt: task.createdAt } : null;
      });
    case 'list':
      return [...kie.tasks.values()].map((task) => ({ taskId: task.taskId, apiKey: task.apiKey }));
    case 'polls':
      drain();
      return log.filter((r) => r.route === 'recordInfo' && r.at >= command.from);
    case 'setScript':
      kie.setScript(command.script);
      return null;
    case 'close':
      clearInterval(drainTimer);
      await kie.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: { id: number; command: KieCommand }) => {
  run(message.command).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: kie.url });
