import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type Bot, type BotOverrides, buildBot } from '../../src/app/build-bot.js';
import { parseConfig } from '../../src/app/config.js';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import { type GuildSettings, SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { type DiscordStandIn, type Interaction, startDiscordStandIn } from './discord/stand-in.js';
import { makePng } from './images.js';
import { type KieStandIn, startKieStandIn } from './kie/stand-in.js';

export const KIE_KEY = 'kie-in-process-bot-key-58e1';

/** The whole bot built by `buildBot` in this process, against the Discord and Kie stand-ins. */
export interface InProcessBot {
  bot: Bot;
  discord: DiscordStandIn;
  kie: KieStandIn;
  guildId: string;
  /** `process.getActiveResourcesInfo()` just before `buildBot`: the stand-ins and the test's own. */
  resourcesBeforeBot: string[];
  /** JSON log lines the bot wrote. */
  logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
  /** `/animate` with a 64×36 PNG, from the stand-in's member. */
  animate(prompt?: string): Interaction;
  /** Stops the bot (as a shutdown does), then the stand-ins, and removes the data folder. */
  close(): Promise<void>;
}

/**
 * Builds the bot with `buildBot` (an in-memory SQLite store, a secret box of its own and `now`
 * as overrides), seeds the server's Kie key, starts it and waits for "bot ready".
 */
export async function startInProcessBot(
  options: { now?: () => number; limits?: Partial<GuildSettings['limits']> } = {},
): Promise<InProcessBot> {
  const discord = await startDiscordStandIn();
  const kie = await startKieStandIn({ keys: { [KIE_KEY]: 10_000 } });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'animate-in-process-bot-'));
  const config = parseConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.restApi,
    KIE_API_URL: kie.url,
    KIE_UPLOAD_URL: kie.url,
    DATA_DIR: dataDir,
    DISCORD_REST_RETRIES: '0',
  });
  const logs: InProcessBot['logs'] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const keyv = openKeyv('sqlite://:memory:');
  const box = new SealedBox(randomBytes(32));
  const guildId = discord.ids.guilds[0]?.id ?? '';
  const settings = new SettingsStore(keyv, box, pino({ level: 'silent' }));
  await settings.setKieKey(guildId, KIE_KEY, guildId);
  await settings.update(guildId, (current) => ({
    ...current,
    limits: { ...current.limits, ...options.limits },
  }));
  const overrides: BotOverrides = { keyv, box, ...(options.now ? { now: options.now } : {}) };
  const resourcesBeforeBot = process.getActiveResourcesInfo();
  const bot = await buildBot(config, logger, overrides);
  await bot.start();
  const end = Date.now() + 20_000;
  while (!logs.some((line) => line.msg === 'bot ready')) {
    if (Date.now() > end) throw new Error('the bot did not say "bot ready" in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    bot,
    discord,
    kie,
    guildId,
    resourcesBeforeBot,
    logs,
    animate(prompt = 'the cat waves at the camera') {
      const attachment = discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
        width: 64,
        height: 36,
      });
      return discord.sendSlashCommand({
        name: 'animate',
        options: [
          { name: 'image', type: 11, value: attachment.id },
          { name: 'prompt', type: 3, value: prompt },
        ],
      });
    },
    async close() {
      await bot.stop('test over');
      await discord.close();
      await kie.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
