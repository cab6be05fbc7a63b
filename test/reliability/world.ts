import { randomBytes } from 'node:crypto';
import type { GuildSettings } from '../../src/services/settings/settings-store.js';
import { type BotEnv, makeBotEnv, seedGuildKey } from '../support/bot-process.js';
import { type DiscordStandIn, type Interaction, startDiscordStandIn } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import {
  type KieStandIn,
  type KieStandInOptions,
  startKieStandIn,
  type TaskScript,
} from '../support/kie/stand-in.js';
import { RelBot } from './bot.js';

/** No cooldown, no daily cap, room for every job: the suite's jobs are limited by faults, not by policy. */
export const OPEN_LIMITS = { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 100 } as const;

/** A task that generates until the suite ends it (an hour), so the suite decides when each job finishes. */
export const HELD_TASK: TaskScript = {
  steps: [
    { state: 'queuing', ms: 300 },
    { state: 'generating', ms: 3_600_000 },
  ],
  outcome: { kind: 'success' },
};

export interface RelGuild {
  index: number;
  id: string;
  channel: string;
  /** This guild's own Kie key: faults and request counts are told apart by key. */
  key: string;
}

export interface ImageSpec {
  name: string;
  type: string;
  bytes: Buffer;
  width?: number;
  height?: number;
  size?: number;
}

export interface AnimateArgs {
  guild?: number;
  /** A member id; default a new member per command (so no per-member limit or dedupe applies). */
  user?: string;
  prompt?: string;
  image?: ImageSpec;
  options?: Array<{ name: string; type: number; value: unknown }>;
  locale?: string;
  createdAt?: number;
  attachmentSizeLimit?: number;
}

export interface RelWorldOptions {
  guilds: number;
  /** Default the embedded SQLite file; a URL for a Redis of the test's own. */
  redisUrl?: string;
  kie?: KieStandInOptions;
  botEnv?: Record<string, string>;
  limits?: Partial<GuildSettings['limits']>;
}

let memberSerial = 0;

/** A fresh member id (a valid snowflake), distinct for the whole run. */
export function newMember(): string {
  memberSerial += 1;
  return (1_400_000_000_000_000_000n + BigInt(process.pid) * 100_000n + BigInt(memberSerial)).toString();
}

/** Both stand-ins with several guilds, a key per guild, and the bot as a killable process. */
export class RelWorld {
  readonly bots: RelBot[] = [];
  readonly kills: number[] = [];

  private constructor(
    readonly discord: DiscordStandIn,
    readonly kie: KieStandIn,
    readonly env: BotEnv,
    readonly guilds: RelGuild[],
  ) {}

  static async create(options: RelWorldOptions): Promise<RelWorld> {
    const discord = await startDiscordStandIn({ guilds: options.guilds });
    const keys = discord.ids.guilds.map((_, index) => `kie-rel-${index}-${randomBytes(6).toString('hex')}`);
    const kie = await startKieStandIn({
      ...options.kie,
      keys: Object.fromEntries(keys.map((key) => [key, 1_000_000])),
    });
    const env: BotEnv = {
      ...(await makeBotEnv('sqlite', { discord: discord.restApi, kie: kie.url, token: discord.token })),
      ...(options.redisUrl ? { STORE_URL: options.redisUrl } : {}),
      ...options.botEnv,
    };
    const guilds = discord.ids.guilds.map((guild, index) => ({
      index,
      id: guild.id,
      channel: guild.channel,
      key: keys[index] ?? '',
    }));
    for (const guild of guilds) await seedGuildKey(env, guild.id, guild.key, options.limits ?? OPEN_LIMITS);
    return new RelWorld(discord, kie, env, guilds);
  }

  get bot(): RelBot {
    const bot = this.bots.at(-1);
    if (!bot) throw new Error('the bot was never started');
    return bot;
  }

  get running(): boolean {
    return this.bots.length > 0 && this.bot.exitCode === undefined;
  }

  /** Starts a new bot process (the previous one must have ended) and waits until it is ready. */
  async startBot(timeoutMs = 60_000): Promise<RelBot> {
    if (this.running) throw new Error('a bot is already running');
    const bot = new RelBot(this.env);
    this.bots.push(bot);
    await bot.waitForMessage('bot ready', timeoutMs);
    return bot;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    this.kills.push(Date.now());
    await this.bot.stop('SIGKILL');
  }

  /** Bot processes that ended without the suite ending them. */
  crashes(): RelBot[] {
    return this.bots.filter((bot) => bot.crashed);
  }

  guild(index: number): RelGuild {
    const guild = this.guilds[index];
    if (!guild) throw new Error(`no guild ${index}`);
    return guild;
  }

  /** Requests the Kie stand-in saw with this guild's key, by route. */
  kieCount(guild: number, route: string): number {
    const key = this.guild(guild).key;
    return this.kie.requests.filter((request) => request.apiKey === key && request.route === route).length;
  }

  /** All bot log lines of every process so far. */
  logs() {
    return this.bots.flatMap((bot) => bot.logs);
  }

  /** `/animate` with a freshly seeded image (default a 64×36 PNG) from a new member. */
  animate(args: AnimateArgs = {}): Interaction {
    const image = args.image ?? { name: 'cat.png', type: 'image/png', bytes: makePng(64, 36) };
    const attachment = this.discord.seedAttachment(image.name, image.type, image.bytes, {
      ...(image.width === undefined ? {} : { width: image.width }),
      ...(image.height === undefined ? {} : { height: image.height }),
      ...(image.size === undefined ? {} : { size: image.size }),
    });
    return this.discord.sendSlashCommand({
      name: 'animate',
      guild: args.guild ?? 0,
      user: { id: args.user ?? newMember() },
      options: [
        { name: 'image', type: 11, value: attachment.id },
        { name: 'prompt', type: 3, value: args.prompt ?? 'the cat waves at the camera' },
        ...(args.options ?? []),
      ],
      ...(args.locale === undefined ? {} : { locale: args.locale }),
      ...(args.createdAt === undefined ? {} : { createdAt: args.createdAt }),
      ...(args.attachmentSizeLimit === undefined ? {} : { attachmentSizeLimit: args.attachmentSizeLimit }),
    });
  }

  async close(): Promise<void> {
    for (const bot of this.bots) await bot.stop('SIGKILL');
    await this.discord.close();
    await this.kie.close();
  }
}
