import { access, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../support/discord/stand-in.js';

let discord: DiscordStandIn | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.stop('SIGKILL');
  await discord?.close();
});

describe('the first start', () => {
  it('runs from a .env holding only DISCORD_TOKEN, on the embedded store, and registers its commands', async () => {
    discord = await startDiscordStandIn();
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-first-'));
    await writeFile(path.join(folder, '.env'), `DISCORD_TOKEN=${discord.token}\n`);
    // Only the Discord address comes from outside .env (the real one is not reachable here), and
    // an HTTP port, whose start is logged once.
    bot = new BotProcess(
      { DISCORD_API_URL: discord.restApi, HTTP_PORT: '0', METRICS_PORT: '0' },
      folder,
    ).start();

    await bot.waitForMessage('bot ready', 20_000);
    const messages = bot.logs.map((line) => line.msg);
    // Connecting is said, with the default timeout, before the bot is ready.
    expect(bot.logs).toContainEqual(
      expect.objectContaining({ msg: 'connecting to Discord…', api: discord.restApi, timeoutMs: 30_000 }),
    );
    expect(messages.indexOf('connecting to Discord…')).toBeLessThan(messages.indexOf('bot ready'));
    expect(messages.filter((msg) => msg === 'http server listening')).toHaveLength(1);
    await access(path.join(folder, 'data', 'animate.sqlite'));
    expect((await stat(path.join(folder, 'data', 'encryption.key'))).mode & 0o777).toBe(0o600);
    expect(bot.logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/ENCRYPTION_KEY is not set/) }),
    );
    const put = await discord.waitForRest(
      (e) => e.method === 'PUT' && e.route === `/applications/${discord?.ids.app}/commands`,
    );
    expect((put.json as Array<{ name: string }>).map((command) => command.name)).toContain('animate');
    expect(JSON.stringify(bot.logs)).not.toContain(discord.token);
  });

  it('reports an error start-up does not expect once, with its stack, and never as an uncaught rejection', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-first-'));
    await mkdir(path.join(folder, 'data'), { mode: 0o700 });
    await writeFile(path.join(folder, 'data', 'encryption.key'), 'not a key\n', { mode: 0o600 });
    bot = new BotProcess(
      { DISCORD_TOKEN: 'a-token', DISCORD_API_URL: 'http://127.0.0.1:9/api' },
      folder,
    ).start();
    expect(await bot.exited()).toBe(1);
    const fatal = bot.logs.filter((line) => line.level === 60);
    expect(fatal).toEqual([expect.objectContaining({ msg: 'start-up failed' })]);
    const err = fatal[0]?.err as { stack?: string } | undefined;
    expect(err?.stack).toMatch(/is not a valid encryption key.*\n\s+at /);
    expect(bot.stderr.join('')).not.toMatch(/triggerUncaughtException/);
  });

  it('stops with one clear line when DISCORD_TOKEN is missing', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-first-'));
    bot = new BotProcess({}, folder).start();
    expect(await bot.exited()).toBe(1);
    expect(bot.stderr.join('').trim()).toBe(
      'DISCORD_TOKEN is not set. Run `npm start` in a terminal for guided setup, or copy .env.example to .env and fill in DISCORD_TOKEN.',
    );
  });
});
