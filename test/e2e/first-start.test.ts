import { access, mkdtemp, stat, writeFile } from 'node:fs/promises';
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
    // Only the Discord address comes from outside .env: the real one is not reachable here.
    bot = new BotProcess({ DISCORD_API_URL: discord.restApi }, folder).start();

    await bot.waitForMessage('bot ready', 20_000);
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

  it('stops with one clear line when DISCORD_TOKEN is missing', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-first-'));
    bot = new BotProcess({}, folder).start();
    expect(await bot.exited()).toBe(1);
    expect(bot.stderr.join('').trim()).toBe(
      'DISCORD_TOKEN is not set. Run `npm start` in a terminal for guided setup, or copy .env.example to .env and fill in DISCORD_TOKEN.',
    );
  });
});
