import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, freePort, JsonLogReader, TSX_LOADER } from '../support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../support/discord/stand-in.js';
import { REDIS_URL, useRedis } from '../support/redis.js';
import { type LocalServer, startSilentServer } from '../support/tcp-servers.js';

/** Three tries, 100 ms then 200 ms apart, 1 s each: the production figures are 6, 4 s and 30 s. */
const QUICK_RETRIES = {
  DISCORD_CONNECT_ATTEMPTS: '3',
  DISCORD_CONNECT_RETRY_MS: '100',
  DISCORD_CONNECT_TIMEOUT_MS: '1000',
};
const CHECK_NETWORK = 'check the internet connection, DNS, a firewall or proxy, and DISCORD_API_URL';
const RETRIES_SAID = [
  expect.stringMatching(/; trying again in 100 ms \(attempt 2 of 3\)$/),
  expect.stringMatching(/; trying again in 200 ms \(attempt 3 of 3\)$/),
];

const redis = await useRedis();

let bot: BotProcess | undefined;
let manager: ChildProcess | undefined;
let discord: DiscordStandIn | undefined;
let silent: LocalServer | undefined;
const folders: string[] = [];

afterEach(async () => {
  await bot?.stop('SIGKILL');
  if (manager && manager.exitCode === null && manager.signalCode === null) manager.kill('SIGKILL');
  await discord?.close();
  await silent?.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  bot = undefined;
  manager = undefined;
  discord = undefined;
  silent = undefined;
});

/** The real entry point with a token in its environment, pointed at `api`, on a store of its own. */
async function startBot(api: string, env: Record<string, string> = {}): Promise<BotProcess> {
  const folder = await mkdtemp(path.join(tmpdir(), 'animate-connect-'));
  folders.push(folder);
  bot = new BotProcess(
    {
      DISCORD_TOKEN: 'a-token-discord-never-issued',
      DISCORD_API_URL: api,
      DATA_DIR: folder,
      STORE_URL: `sqlite://${folder}/animate.sqlite`,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...QUICK_RETRIES,
      ...env,
    },
    folder,
  ).start();
  return bot;
}

/** Everything the process printed: its log lines (JSON or not) and its stderr. */
function printed(process: BotProcess): string {
  return [...process.logs.map((line) => JSON.stringify(line)), process.stderr.join('')].join('\n');
}

/**
 * Exit code 1, one error line and nothing of a crash: no Node dump, no stack frame, no `err`.
 * Resolves the warnings (the retries said).
 */
async function expectOneLine(process: BotProcess, line: RegExp | string): Promise<string[]> {
  expect(await process.exited()).toBe(1);
  expect(process.stderr.join('')).toBe('');
  const errors = process.logs.filter((entry) => entry.level >= 50);
  expect(errors.map((entry) => entry.msg)).toEqual([
    typeof line === 'string' ? line : expect.stringMatching(line),
  ]);
  expect(printed(process)).not.toMatch(/triggerUncaughtException|\bat .+:\d+:\d+|"stack"|"err"/);
  expect(process.logs.find((entry) => entry.msg === 'connecting to Discord…')).toBeDefined();
  return process.logs.filter((entry) => entry.level === 40).map((entry) => entry.msg);
}

describe('npm start when Discord cannot be reached', () => {
  it('says a refused connection in one line, after saying each retry', async () => {
    const port = await freePort();
    const started = await startBot(`http://127.0.0.1:${port}/api`);
    const retries = await expectOneLine(
      started,
      `cannot reach Discord at http://127.0.0.1:${port}/api (ECONNREFUSED) after 3 attempts: ${CHECK_NETWORK}`,
    );
    expect(retries).toEqual(RETRIES_SAID);
    expect(retries[0]).toMatch(/^cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\); /);
  });

  it('says a host name that does not resolve in one line (.invalid never leaves the machine)', async () => {
    const started = await startBot('http://discord.invalid/api');
    const retries = await expectOneLine(
      started,
      new RegExp(
        `^cannot reach Discord at http://discord\\.invalid/api \\((ENOTFOUND|EAI_AGAIN)\\) after 3 attempts: ${CHECK_NETWORK}$`,
      ),
    );
    expect(retries).toEqual(RETRIES_SAID);
  });

  it('says a refused token in one line, at once: trying again cannot help', async () => {
    discord = await startDiscordStandIn();
    const started = await startBot(discord.restApi, { DISCORD_TOKEN: 'wrong-token-6b1c' });
    const retries = await expectOneLine(
      started,
      'Discord refused the bot token (401): check DISCORD_TOKEN in .env, or reset it at https://discord.com/developers/applications → your app → Bot',
    );
    expect(retries).toEqual([]);
    expect(discord.log.filter((e) => e.route === '/gateway/bot')).toHaveLength(1);
    expect(printed(started)).not.toContain('wrong-token-6b1c');
    discord.assertNoViolations(/bot route called with a wrong token/);
  });

  it('says a Discord that accepts the connection but never answers in one line, after a timeout per try', async () => {
    const blackHole = await startSilentServer();
    silent = blackHole;
    const started = await startBot(blackHole.url);
    const retries = await expectOneLine(
      started,
      `no answer from Discord in 1 s (${blackHole.url}) after 3 attempts: ${CHECK_NETWORK}`,
    );
    expect(retries).toEqual(RETRIES_SAID);
    expect(retries[0]).toMatch(/^no answer from Discord in 1 s /);
    expect(blackHole.requests()).toBe(3);
  });

  it('writes readable lines instead of JSON with LOG_FORMAT=pretty, the failure still one line', async () => {
    const port = await freePort();
    const started = await startBot(`http://127.0.0.1:${port}/api`, {
      LOG_FORMAT: 'pretty',
      DISCORD_CONNECT_ATTEMPTS: '1',
    });
    expect(await started.exited()).toBe(1);
    // Lines that are not JSON reach the reader as they are, in `msg`.
    const lines = started.logs.map((line) => line.msg);
    expect(lines).toEqual([
      expect.stringMatching(
        /^\[[\d:.]+\] INFO: connecting to Discord… \{"api":"http:\/\/127\.0\.0\.1:\d+\/api"/,
      ),
      expect.stringMatching(
        /^\[[\d:.]+\] ERROR: cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\): check /,
      ),
    ]);
    expect(started.stderr.join('')).toBe('');
  });

  it('stops at once and cleanly on Ctrl-C while it waits to try again', async () => {
    const port = await freePort();
    const started = await startBot(`http://127.0.0.1:${port}/api`, {
      DISCORD_CONNECT_ATTEMPTS: '6',
      DISCORD_CONNECT_RETRY_MS: '60000',
    });
    await started.waitForLog((line) => /trying again in 1 min|trying again in 60 s/.test(line.msg), 30_000);
    const stopping = Date.now();
    await started.stop('SIGINT');
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(started.exitCode).toBe(0);
    expect(started.logs.filter((line) => line.level >= 50)).toEqual([]);
    expect(printed(started)).not.toMatch(/triggerUncaughtException|\bat .+:\d+:\d+/);
  });
});

/** `npm run start:sharded` with `env`; resolves its exit code and what it printed. */
async function runShardManager(
  env: Record<string, string>,
): Promise<{ code: number | null; reader: JsonLogReader }> {
  const reader = new JsonLogReader();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.resolve('src/cli/start-sharded.ts')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DISCORD_TOKEN: 'a-token-discord-never-issued',
      SHARD_COUNT: '2',
      ...QUICK_RETRIES,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  manager = child;
  reader.attach(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
  return { code, reader };
}

describe('npm run start:sharded when Redis or Discord cannot be reached', () => {
  it('says an unreachable Redis in one line, its password left out, and starts no shard', async () => {
    const port = await freePort();
    const { code, reader } = await runShardManager({
      STORE_URL: `redis://:s3cret-pass@127.0.0.1:${port}`,
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(code).toBe(1);
    expect(reader.logs.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([
      `cannot reach Redis at redis://127.0.0.1:${port} (ECONNREFUSED): start Redis, or check STORE_URL`,
    ]);
    expect(reader.stderr.join('')).toBe('');
    const all = JSON.stringify(reader.logs);
    expect(all).not.toContain('s3cret-pass');
    expect(all).not.toMatch(/triggerUncaughtException|\bat .+:\d+:\d+|"stack"/);
    expect(reader.logs.some((line) => line.msg === 'starting shard')).toBe(false);
  });

  it.runIf(redis)(
    'says an unreachable Discord in one line after the retries, and starts no shard',
    async () => {
      const port = await freePort();
      const { code, reader } = await runShardManager({
        STORE_URL: REDIS_URL,
        DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
      });
      expect(code).toBe(1);
      const errors = reader.logs.filter((line) => line.level >= 50).map((line) => line.msg);
      expect(errors).toEqual([
        `cannot reach Discord at http://127.0.0.1:${port}/api (ECONNREFUSED) after 3 attempts: ${CHECK_NETWORK}`,
      ]);
      expect(reader.logs.filter((line) => line.level === 40).map((line) => line.msg)).toEqual(RETRIES_SAID);
      expect(reader.stderr.join('')).toBe('');
      expect(JSON.stringify(reader.logs)).not.toMatch(/triggerUncaughtException|\bat .+:\d+:\d+|"stack"/);
      expect(reader.logs.some((line) => line.msg === 'starting shard')).toBe(false);
    },
  );
});
