// Parent side of kie-child.ts: the Kie stand-in in another process, driven over IPC.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { KieStandInOptions, TaskOutcome, TaskScript } from '../../../test/support/kie/stand-in.js';
import type { KieCommand } from './kie-child.js';
import type { RateStats, RequestRecord } from './rates.js';

/** Runs a TypeScript file as a plain node process (`node --import tsx`): one pid, and IPC works. */
export function spawnTs(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
  stdio: 'inherit' | 'pipe' = 'inherit',
): ChildProcess {
  // BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to the measured children, for diagnosis.
  const nodeArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const measured = !file.includes('kie-child');
  return spawn(
    process.execPath,
    [...(measured ? nodeArgs : []), '--import', 'tsx', path.resolve(file), ...args],
    {
      cwd: process.cwd(),
      env,
      stdio: [stdio === 'pipe' ? 'ignore' : 'inherit', stdio, 'inherit', 'ipc'],
    },
  );
}

export class KieChild {
  #serial = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
  }

  static async start(options: KieStandInOptions): Promise<KieChild> {
    const child = spawnTs('scripts/bench/support/kie-child.ts', [], {
      ...process.env,
      BENCH_KIE_OPTIONS: JSON.stringify(options),
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`Kie stand-in process ended (${code})`)));
      child.once('message', (message: { ready?: string }) => {
        if (message.ready) resolve(message.ready);
      });
    });
    return new KieChild(child, url);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  #call<T>(command: KieCommand): Promise<T> {
    const id = ++this.#serial;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  /** Creates `perKey` tasks for each key; their ids, per key in the same order. */
  seed(keys: string[], perKey: number): Promise<string[][]> {
    return this.#call({ op: 'seed', keys, perKey });
  }

  stats(from: number, to: number): Promise<RateStats> {
    return this.#call({ op: 'stats', from, to });
  }

  /** Ends the tasks now; resolves with the stand-in's time of the end. */
  finish(taskIds: string[], outcome: TaskOutcome): Promise<number> {
    return this.#call({ op: 'finish', taskIds, outcome });
  }

  tasks(
    taskIds: string[],
  ): Promise<Array<{ state: string; completedAt: number | null; createdAt: number } | null>> {
    return this.#call({ op: 'tasks', taskIds });
  }

  /** Every task the stand-in holds, with the key that created it. */
  list(): Promise<Array<{ taskId: string; apiKey: string }>> {
    return this.#call({ op: 'list' });
  }

  /** recordInfo requests that arrived since `from`. */
  polls(from: number): Promise<RequestRecord[]> {
    return this.#call({ op: 'polls', from });
  }

  setScript(script: TaskScript): Promise<void> {
    return this.#call({ op: 'setScript', script });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.#call({ op: 'close' }).catch(() => undefined);
    await exited;
  }
}
