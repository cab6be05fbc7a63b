import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import { type GuildSettings, SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { REDIS_URL, uniqueNamespace } from './redis.js';

/** tsx's loader as a file URL, so `--import` finds it whatever the child's working folder. */
export const TSX_LOADER = import.meta.resolve('tsx');

export type LogLine = { level: number; msg: string; [key: string]: unknown };

export interface BotEnv {
  DISCORD_TOKEN: string;
  DISCORD_API_URL: string;
  KIE_API_URL: string;
  KIE_UPLOAD_URL: string;
  STORE_URL: string;
  STORE_NAMESPACE: string;
  DATA_DIR: string;
  ENCRYPTION_KEY?: string;
  [name: string]: string | undefined;
}

/** Where a test bot keeps its data: a temp folder, and a store of the kind asked for. */
export async function makeBotEnv(
  store: 'sqlite' | 'redis',
  urls: { discord: string; kie: string; token: string },
): Promise<BotEnv> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'animate-e2e-'));
  return {
    DISCORD_TOKEN: urls.token,
    DISCORD_API_URL: urls.discord,
    KIE_API_URL: urls.kie,
    KIE_UPLOAD_URL: urls.kie,
    STORE_URL: store === 'sqlite' ? `sqlite://${dataDir}/animate.sqlite` : REDIS_URL,
    STORE_NAMESPACE: uniqueNamespace('e2e'),
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    DISCORD_REST_RETRIES: '0',
  };
}

/**
 * Stores a Kie key for a guild the way the bot does, straight into the bot's store; `limits`
 * replaces the server's defaults (e.g. no cooldown for a benchmark).
 */
export async function seedGuildKey(
  env: BotEnv,
  guildId: string,
  apiKey: string,
  limits?: Partial<GuildSettings['limits']>,
): Promise<void> {
  const keyv = openKeyv(env.STORE_URL, { namespace: env.STORE_NAMESPACE });
  const box = new SealedBox(Buffer.from(env.ENCRYPTION_KEY ?? '', 'base64'));
  const settings = new SettingsStore(keyv, box, pino({ level: 'silent' }));
  await settings.setKieKey(guildId, apiKey, guildId);
  if (limits)
    await settings.update(guildId, (current) => ({ ...current, limits: { ...current.limits, ...limits } }));
  await keyv.disconnect();
}

/** Sets a guild's Kie webhook HMAC key the way `/animate-setup` does, straight into the bot's store. */
export async function seedWebhookHmacKey(env: BotEnv, guildId: string, hmacKey: string): Promise<void> {
  const keyv = openKeyv(env.STORE_URL, { namespace: env.STORE_NAMESPACE });
  const box = new SealedBox(Buffer.from(env.ENCRYPTION_KEY ?? '', 'base64'));
  const settings = new SettingsStore(keyv, box, pino({ level: 'silent' }));
  await settings.setWebhookHmacKey(guildId, hmacKey, guildId);
  await keyv.disconnect();
}

/** A port that was free a moment ago on 127.0.0.1: listen on 0, note the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Reads a child's JSON log lines from stdout (and keeps its stderr); waits for lines that match. */
export class JsonLogReader {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  #waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

  attach(child: ChildProcess): void {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const text of lines) this.#accept(text);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  #accept(text: string): void {
    if (!text.trim()) return;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { level: 30, msg: text };
    }
    this.logs.push(line);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.match(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  /** Resolves with the first past or future log line that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const past = this.logs.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`no matching log line in ${timeoutMs} ms; stderr: ${this.stderr.join('').slice(-2000)}`),
        );
      }, timeoutMs);
      this.#waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }
}

/** The real entry point (`npm start` runs the same file), as a child process with JSON logs. */
export class BotProcess {
  readonly #reader = new JsonLogReader();
  readonly logs = this.#reader.logs;
  readonly stderr = this.#reader.stderr;
  #child: ChildProcess | undefined;
  exitCode: number | null | undefined;

  constructor(
    readonly env: Record<string, string | undefined>,
    /** Working folder (where `.env` and the default `data/` live); default the project root. */
    readonly cwd: string = process.cwd(),
    /** The source entry point through tsx (default), or a built `.js` file that node runs alone. */
    readonly entry: string = path.resolve('src/index.ts'),
  ) {}

  start(): this {
    // One process: node with tsx's loader. The tsx CLI would run the bot as a grandchild that
    // outlives a SIGKILL sent to the CLI, leaving a second bot running.
    const args = this.entry.endsWith('.ts') ? ['--import', TSX_LOADER, this.entry] : [this.entry];
    const child = spawn(process.execPath, args, {
      cwd: this.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exitCode = undefined;
    this.#reader.attach(child);
    child.on('exit', (code) => {
      this.exitCode = code;
    });
    this.#child = child;
    return this;
  }

  /** Resolves with the first past or future log line that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> {
    return this.#reader.waitForLog(match, timeoutMs);
  }

  waitForMessage(msg: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitForLog((line) => line.msg === msg, timeoutMs);
  }

  /** Resolves with the exit code once the process has ended by itself. */
  exited(): Promise<number | null> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Ends the process with the signal and waits for it to be gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
