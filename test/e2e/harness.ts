import { afterEach } from 'vitest';
import type { GuildSettings } from '../../src/services/settings/settings-store.js';
import { type BotEnv, BotProcess, makeBotEnv, seedGuildKey } from '../support/bot-process.js';
import {
  type DiscordStandIn,
  type StandInOptions,
  startDiscordStandIn,
} from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import { type KieStandIn, type KieStandInOptions, startKieStandIn } from '../support/kie/stand-in.js';

export const KIE_KEY = 'kie-e2e-key-7f3a9c2d41b8';

export interface World {
  discord: DiscordStandIn;
  kie: KieStandIn;
  env: BotEnv;
  bot: BotProcess;
  guildId: string;
  /** Starts (or restarts) the bot process and waits until it is ready. */
  startBot(): Promise<BotProcess>;
  /** Sends `/animate` with a freshly seeded image. */
  animate(args?: AnimateArgs): ReturnType<DiscordStandIn['sendSlashCommand']>;
}

export interface AnimateArgs {
  image?: { name: string; type: string; bytes: Buffer; width?: number; height?: number; size?: number };
  prompt?: string;
  options?: Array<{ name: string; type: number; value: unknown }>;
  createdAt?: number;
  locale?: string;
  attachmentSizeLimit?: number;
  appPermissions?: bigint;
}

const worlds: World[] = [];

afterEach(async () => {
  for (const world of worlds.splice(0)) {
    await world.bot.stop('SIGKILL');
    await world.discord.close();
    await world.kie.close();
  }
});

/** Kie and Discord stand-ins on 127.0.0.1, and the bot's entry point as a child process. */
export async function createWorld(
  store: 'sqlite' | 'redis',
  kieOptions: KieStandInOptions = {},
  {
    withKey = true,
    limits,
    botEnv,
    discordOptions,
  }: {
    withKey?: boolean;
    /** Replaces the server's default limits in the seeded settings (e.g. no cooldown). */
    limits?: Partial<GuildSettings['limits']>;
    /** Extra environment for the bot (e.g. HTTP_PORT, PUBLIC_URL); set over the defaults. */
    botEnv?: Record<string, string>;
    /** Options of the Discord stand-in (e.g. further channels). */
    discordOptions?: StandInOptions;
  } = {},
): Promise<World> {
  const discord = await startDiscordStandIn(discordOptions);
  const kie = await startKieStandIn({ keys: { [KIE_KEY]: 10_000 }, ...kieOptions });
  const env = {
    ...(await makeBotEnv(store, { discord: discord.restApi, kie: kie.url, token: discord.token })),
    ...botEnv,
  };
  const guildId = discord.ids.guilds[0]?.id ?? '';
  if (withKey) await seedGuildKey(env, guildId, KIE_KEY, limits);
  const world: World = {
    discord,
    kie,
    env,
    guildId,
    bot: new BotProcess(env),
    async startBot() {
      await world.bot.stop('SIGKILL');
      world.bot = new BotProcess(env).start();
      // Generous: the bot starts from source through tsx, slow on a loaded two-core machine.
      await world.bot.waitForMessage('bot ready', 45_000);
      return world.bot;
    },
    animate(args = {}) {
      const image = args.image ?? {
        name: 'cat.png',
        type: 'image/png',
        bytes: makePng(64, 36),
        width: 64,
        height: 36,
      };
      const attachment = discord.seedAttachment(image.name, image.type, image.bytes, {
        ...(image.width === undefined ? {} : { width: image.width }),
        ...(image.height === undefined ? {} : { height: image.height }),
        ...(image.size === undefined ? {} : { size: image.size }),
      });
      return discord.sendSlashCommand({
        name: 'animate',
        options: [
          { name: 'image', type: 11, value: attachment.id },
          { name: 'prompt', type: 3, value: args.prompt ?? 'the cat waves at the camera' },
          ...(args.options ?? []),
        ],
        ...(args.createdAt === undefined ? {} : { createdAt: args.createdAt }),
        ...(args.locale === undefined ? {} : { locale: args.locale }),
        ...(args.attachmentSizeLimit === undefined ? {} : { attachmentSizeLimit: args.attachmentSizeLimit }),
        ...(args.appPermissions === undefined ? {} : { appPermissions: args.appPermissions }),
      });
    },
  };
  worlds.push(world);
  return world;
}
