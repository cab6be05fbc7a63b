import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unsupportedNodeMessage } from '../../scripts/preflight.js';
import { BotProcess, JsonLogReader, makeBotEnv } from '../support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../support/discord/stand-in.js';
import { findNodeOlderThan } from '../support/old-node.js';
import { dropNamespace, useRedis } from '../support/redis.js';

const run = promisify(execFile);
const redis = await useRedis();

/**
 * The compiled bot as a self-hoster runs it: `npm run build` output beside package.json and
 * .env.example, no tsx anywhere. Built into a temp folder so the test never touches ./dist.
 */
let app: string;
beforeAll(async () => {
  app = await mkdtemp(path.join(tmpdir(), 'animate-build-'));
  await copyFile('package.json', path.join(app, 'package.json'));
  await copyFile('.env.example', path.join(app, '.env.example'));
  await symlink(path.resolve('node_modules'), path.join(app, 'node_modules'), 'dir');
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(app, 'dist')]);
}, 120_000);
afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function discordStandIn(options?: Parameters<typeof startDiscordStandIn>[0]): Promise<DiscordStandIn> {
  const discord = await startDiscordStandIn(options);
  cleanups.push(() => discord.close());
  return discord;
}

describe('the compiled build (npm run build)', () => {
  it('npm start: dist/index.js connects to Discord, says ready and stops cleanly on SIGTERM', async () => {
    const discord = await discordStandIn();
    const env = await makeBotEnv('sqlite', {
      discord: discord.restApi,
      kie: 'http://127.0.0.1:9',
      token: 'x',
    });
    env.DISCORD_TOKEN = discord.token;
    const bot = new BotProcess(env, app, path.join(app, 'dist/index.js')).start();
    cleanups.push(() => bot.stop('SIGKILL'));
    await bot.waitForMessage('bot ready', 20_000);
    expect(discord.sessions().map((session) => session.live)).toEqual([true]);
    await bot.stop('SIGTERM');
    expect(bot.exitCode).toBe(0);
    expect(bot.stderr.join('')).toBe('');
  });

  // The Docker image's command (`node dist/index.js`, no npm): the entry checks the version itself.
  const oldNode = findNodeOlderThan(22);
  it.skipIf(!oldNode)(
    `node dist/index.js on an old Node (${oldNode?.version}) is refused in one line`,
    async () => {
      const result = await run(oldNode?.path ?? '', [path.join(app, 'dist/index.js')], {
        cwd: app,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DISCORD_TOKEN: 'x' },
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      const engines: string = JSON.parse(await readFile('package.json', 'utf8')).engines.node;
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        unsupportedNodeMessage(oldNode?.version ?? '', engines),
      ]);
      expect(result.stdout).toBe('');
    },
  );

  it('npm run deploy-commands: dist/cli/deploy-commands.js registers the command list', async () => {
    const discord = await discordStandIn();
    const { stdout } = await run(process.execPath, [path.join(app, 'dist/cli/deploy-commands.js')], {
      cwd: app,
      env: { PATH: process.env.PATH, DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restApi },
    });
    const names = (discord.commands.global as Array<{ name: string }>).map((command) => `/${command.name}`);
    expect(names.length).toBeGreaterThan(0);
    expect(stdout).toContain(`Registered ${names.length} command(s)`);
    for (const name of names) expect(stdout).toContain(name);
  });

  it.runIf(redis)(
    'npm run start:sharded: the manager runs dist/index.js per shard, without tsx',
    async () => {
      const discord = await discordStandIn({ guilds: 2, shards: 2 });
      const env = await makeBotEnv('redis', {
        discord: discord.restApi,
        kie: 'http://127.0.0.1:9',
        token: 'x',
      });
      cleanups.push(() => dropNamespace(env.STORE_NAMESPACE));
      const manager: ChildProcess = spawn(process.execPath, [path.join(app, 'dist/cli/start-sharded.js')], {
        cwd: app,
        env: { PATH: process.env.PATH, ...env, DISCORD_TOKEN: discord.token, SHARD_COUNT: '2' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const logs = new JsonLogReader();
      logs.attach(manager);
      const exited = new Promise<number | null>((resolve) => manager.once('exit', resolve));
      cleanups.push(async () => {
        if (manager.exitCode === null) manager.kill('SIGTERM');
        await exited;
      });
      await logs.waitForLog((line) => line.msg === 'all shards ready', 60_000);
      expect(
        discord
          .sessions()
          .map((session) => session.shard)
          .sort(),
      ).toEqual([
        [0, 2],
        [1, 2],
      ]);
      manager.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );
});
