import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BotEnv,
  JsonLogReader,
  type LogLine,
  makeBotEnv,
  seedGuildKey,
} from '../support/bot-process.js';
import { type DiscordStandIn, type Interaction, startDiscordStandIn } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import { type KieStandIn, startKieStandIn } from '../support/kie/stand-in.js';
import { dropNamespace, useRedis } from '../support/redis.js';
import { busiestWindow } from '../support/windows.js';

const KIE_KEY = 'kie-sharded-key-3e8b1f0a92c4';
const SHARDS = 2;
/** Kie's createTask limit per key, which the stand-in enforces: 20 per 10 s. */
const CREATE_LIMIT = { max: 20, windowMs: 10_000 };
/** Jobs per guild in the burst: 2 × 11 = 22 > 20, so unshared limiters would get 429s. */
const BURST_PER_GUILD = 11;

const redis = await useRedis();

/** `npm run start:sharded` (src/cli/start-sharded.ts through tsx) as a child process with JSON logs. */
class ShardManagerProcess {
  readonly #reader = new JsonLogReader();
  readonly logs = this.#reader.logs;
  readonly stderr = this.#reader.stderr;
  readonly #child: ChildProcess;

  constructor(env: Record<string, string | undefined>) {
    // Its own process group: the shards it forks can be cleaned up with it if a test fails.
    this.#child = spawn('node_modules/.bin/tsx', ['src/cli/start-sharded.ts'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.#reader.attach(this.#child);
  }

  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    return this.#reader.waitForLog(match, timeoutMs);
  }

  /** The `msg` line of one shard (shards log with a `shard` field). */
  waitForShard(shard: number, msg: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitForLog((line) => line.shard === shard && line.msg === msg, timeoutMs);
  }

  exited(): Promise<number | null> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** SIGTERM to the manager, which stops its shards; the whole group is killed after 30 s. */
  async stop(): Promise<number | null> {
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => this.#killGroup(), 30_000);
    const code = await this.exited();
    clearTimeout(timer);
    this.#killGroup(); // anything left of the group (nothing, when the manager did its job)
    return code;
  }

  #killGroup(): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startManager(env: Record<string, string | undefined>): ShardManagerProcess {
  const manager = new ShardManagerProcess(env);
  cleanups.push(() => manager.stop());
  return manager;
}

function animate(discord: DiscordStandIn, guild: number, prompt: string): Interaction {
  const attachment = discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
    width: 64,
    height: 36,
  });
  return discord.sendSlashCommand({
    name: 'animate',
    guild,
    options: [
      { name: 'image', type: 11, value: attachment.id },
      { name: 'prompt', type: 3, value: prompt },
    ],
  });
}

const isVideoFor = (interaction: Interaction) => (e: { method: string; route: string; files: unknown[] }) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.files.length > 0;

describe.runIf(redis)('npm run start:sharded', () => {
  let discord: DiscordStandIn;
  let kie: KieStandIn;
  let env: BotEnv;
  const guildShard = (guild: number) => discord.shardOf(discord.ids.guilds[guild]?.id ?? '', SHARDS);

  it('runs two shards on Redis: each resumes and delivers only its own guild’s jobs, and together they stay under the shared createTask limit', async () => {
    discord = await startDiscordStandIn({ guilds: 2, shards: SHARDS });
    kie = await startKieStandIn({ keys: { [KIE_KEY]: 100_000 }, createLimit: CREATE_LIMIT });
    cleanups.push(
      () => discord.close(),
      () => kie.close(),
    );
    env = await makeBotEnv('redis', { discord: discord.restApi, kie: kie.url, token: discord.token });
    cleanups.push(() => dropNamespace(env.STORE_NAMESPACE));
    // Guild i sits on shard i; both servers use one Kie key, without per-member limits.
    expect([guildShard(0), guildShard(1)]).toEqual([0, 1]);
    for (const guild of discord.ids.guilds) {
      await seedGuildKey(env, guild.id, KIE_KEY, {
        maxRunning: 100,
        perMemberPerDay: null,
        cooldownSeconds: 0,
      });
    }

    // 1. One host runs both shards; Discord's shard count comes from GET /gateway/bot.
    const host = startManager({ ...env, SHARD_COUNT: 'auto' });
    for (const shard of [0, 1]) {
      const ready = await host.waitForShard(shard, 'bot ready', 90_000);
      expect(ready.guilds).toBe(1);
    }
    const sessions = discord.sessions();
    expect(sessions.map((s) => [s.shard, s.guilds])).toEqual([
      [[0, 2], [discord.ids.guilds[0]?.id]],
      [[1, 2], [discord.ids.guilds[1]?.id]],
    ]);
    // A job per guild that stays generating until the test ends it.
    kie.scriptNext(
      { steps: [{ state: 'generating', ms: 10 }], outcome: { kind: 'never' } },
      { steps: [{ state: 'generating', ms: 10 }], outcome: { kind: 'never' } },
    );
    const first = [animate(discord, 0, 'the cat waves'), animate(discord, 1, 'the dog jumps')];
    for (const [guild, interaction] of first.entries()) {
      // The interaction went out on the gateway session of the guild's shard, and that shard took it.
      const frame = discord.frames.find(
        (f) => f.t === 'INTERACTION_CREATE' && (f.d as { id?: string }).id === interaction.id,
      );
      expect(frame?.shard).toEqual([guild, SHARDS]);
      const submitted = await host.waitForLog(
        (line) => line.msg === 'job submitted' && line.guildId === interaction.guildId,
        30_000,
      );
      expect(submitted.shard).toBe(guild);
    }

    // 2. Stop, then start again as two hosts that run one shard each (SHARD_IDS).
    expect(await host.stop()).toBe(0);
    expect(host.logs.filter((line) => line.msg?.startsWith('shutting down'))).toHaveLength(2);
    // Both shards ended by themselves after their clean shutdown (Redis limiter closed too).
    const stopped = host.logs.filter((line) => line.msg === 'shard stopped');
    expect(stopped.map((line) => [line.shard, line.code, line.signal])).toEqual(
      expect.arrayContaining([
        [0, 0, null],
        [1, 0, null],
      ]),
    );
    const hosts = [0, 1].map((shard) =>
      startManager({ ...env, SHARD_COUNT: String(SHARDS), SHARD_IDS: String(shard) }),
    );
    for (const [shard, h] of hosts.entries()) {
      // Each shard resumes the one unfinished job of its own guild, not the other's.
      const ready = await h.waitForShard(shard, 'bot ready', 90_000);
      expect(ready).toMatchObject({ guilds: 1, resumed: 1 });
    }
    for (const task of kie.tasks.values()) kie.finish(task.taskId, { kind: 'success' });
    for (const [guild, interaction] of first.entries()) {
      const video = await discord.waitForRest(isVideoFor(interaction), 60_000);
      expect(video.files).toHaveLength(1);
      const delivered = await hosts[guild]?.waitForLog(
        (line) => line.msg === 'job delivered' && line.guildId === interaction.guildId,
        30_000,
      );
      expect(delivered?.shard).toBe(guild);
    }
    expect(hosts[1]?.logs.some((line) => line.guildId === first[0]?.guildId)).toBe(false);
    expect(hosts[0]?.logs.some((line) => line.guildId === first[1]?.guildId)).toBe(false);

    // 3. A burst through both shards at once with one key: 22 createTask, Kie allows 20 per 10 s.
    const burst = Array.from({ length: BURST_PER_GUILD }, (_, i) => [
      animate(discord, 0, `the cat waves, take ${i + 1}`),
      animate(discord, 1, `the dog jumps, take ${i + 1}`),
    ]).flat();
    for (const interaction of burst) await discord.waitForRest(isVideoFor(interaction), 120_000);
    const creates = kie.requests.filter((r) => r.route === 'createTask' && r.apiKey === KIE_KEY);
    const tasks = [...kie.tasks.values()].filter((t) => t.apiKey === KIE_KEY);
    const figures = {
      createTask: creates.length,
      rejected429: creates.length - tasks.length,
      busiestWindow: busiestWindow(
        creates.map((r) => r.at),
        CREATE_LIMIT.windowMs,
      ),
    };
    console.info('sharded burst:', JSON.stringify(figures));
    expect(figures).toMatchObject({ createTask: 2 + 2 * BURST_PER_GUILD, rejected429: 0 });
    expect(figures.busiestWindow).toBeLessThanOrEqual(CREATE_LIMIT.max);
    for (const [shard, h] of hosts.entries()) {
      const guilds = new Set(h.logs.filter((l) => l.msg === 'job submitted').map((l) => l.guildId));
      expect([...guilds]).toEqual([discord.ids.guilds[shard]?.id]);
    }
    discord.assertNoViolations(/not acknowledged within/);
  }, 300_000);

  it('refuses to start on the embedded SQLite store, with one clear message', async () => {
    const sqliteEnv = await makeBotEnv('sqlite', {
      discord: 'http://127.0.0.1:9/api',
      kie: 'http://127.0.0.1:9',
      token: 'test-bot-token',
    });
    const manager = startManager({ ...sqliteEnv, SHARD_COUNT: '2' });
    expect(await manager.exited()).toBe(1);
    const stderr = manager.stderr.join('');
    expect(stderr).toContain('Sharding needs shared storage');
    expect(stderr).toContain('STORE_URL=redis://');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(manager.logs).toEqual([]);
  }, 60_000);
});
