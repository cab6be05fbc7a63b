import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { until } from './sizes.js';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A redis-server of the suite's own on a free port (never the machine's shared one), which it
 * stops and starts. No save points, no AOF: `stop()` writes one snapshot on purpose (SHUTDOWN
 * SAVE) into a temp folder, so the restarted server has the data back, as a restarted Redis does.
 */
export class OwnRedis {
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), await mkdtemp(path.join(tmpdir(), 'animate-rel-redis-')));
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async ping(): Promise<boolean> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), 'PING'], { timeout: 2_000 });
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  }

  /** Starts the server (again) with the same folder, so it loads the snapshot. */
  async resume(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    if (!(await until(() => this.ping(), 10_000, 100)))
      throw new Error(`redis-server on ${this.port} did not start`);
  }

  /**
   * Every write is refused from now on while reads still work: `maxmemory` 1 byte under the
   * `noeviction` policy, so Redis answers each command that could use memory (SET, EVALSHA of a
   * script that writes…) with an OOM error, as a Redis that filled up does.
   */
  async refuseWrites(): Promise<void> {
    await this.#config('maxmemory-policy', 'noeviction');
    await this.#config('maxmemory', '1');
  }

  /** Takes writes again (no memory limit, as started). */
  async acceptWrites(): Promise<void> {
    await this.#config('maxmemory', '0');
  }

  async #config(name: string, value: string): Promise<void> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), 'CONFIG', 'SET', name, value]);
    if (stdout.trim() !== 'OK') throw new Error(`CONFIG SET ${name} ${value}: ${stdout.trim()}`);
  }

  /** SHUTDOWN SAVE: the snapshot is written, the port closes, clients see connection refused. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await run('redis-cli', ['-p', String(this.port), 'SHUTDOWN', 'SAVE']).catch(() => child.kill('SIGTERM'));
    await exited;
  }

  /** Ends the server for good (no snapshot needed). */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
