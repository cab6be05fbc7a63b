import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { sqliteFileOf } from '../../src/services/store/open-keyv.js';
import type { BotEnv } from '../support/bot-process.js';

const run = promisify(execFile);

/** A job record as stored, read around the bot (not through its JobStore): loosely typed on purpose. */
export interface StoredJob {
  id: string;
  guildId: string;
  userId: string;
  interactionId: string;
  status: string;
  taskId?: string | null;
  failure?: { key: string; params: Record<string, string | number> };
  deliveredVia?: string;
  deliveredAs?: string;
  [field: string]: unknown;
}

const JOB_KEY = /(^|:)job:\d+:[a-z0-9]+$/;

function jobOf(raw: string | null | undefined): StoredJob | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { value?: unknown };
    const value = typeof parsed.value === 'string' ? JSON.parse(parsed.value) : (parsed.value ?? parsed);
    return value && typeof value === 'object' && 'status' in value ? (value as StoredJob) : undefined;
  } catch {
    return undefined;
  }
}

/** Every job record in the bot's store (its namespace only), straight from SQLite or Redis. */
export async function readJobs(env: BotEnv): Promise<StoredJob[]> {
  const namespace = env.STORE_NAMESPACE;
  if (env.STORE_URL.startsWith('sqlite://')) {
    const db = new Database(sqliteFileOf(env.STORE_URL), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare('SELECT key, value FROM keyv WHERE key LIKE ? AND (expires IS NULL OR expires > ?)')
        .all(`${namespace}:job:%`, Date.now()) as Array<{ key: string; value: string }>;
      return rows.filter((row) => JOB_KEY.test(row.key)).flatMap((row) => jobOf(row.value) ?? []);
    } finally {
      db.close();
    }
  }
  const url = new URL(env.STORE_URL);
  const cli = ['-h', url.hostname, '-p', url.port || '6379'];
  const { stdout } = await run('redis-cli', [...cli, '--scan', '--pattern', `${namespace}:*job:*`]);
  const keys = stdout.split('\n').filter((key) => JOB_KEY.test(key));
  const jobs: StoredJob[] = [];
  for (let at = 0; at < keys.length; at += 200) {
    const batch = keys.slice(at, at + 200);
    const { stdout: values } = await run('redis-cli', [...cli, '--raw', 'MGET', ...batch], {
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const line of values.split('\n')) {
      const job = jobOf(line);
      if (job) jobs.push(job);
    }
  }
  return jobs;
}
