import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AuditLog, REFUSED_PAUSE_MS } from '../../../src/services/audit/audit-log.js';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { ChannelAccess } from '../../../src/services/discord/guild-view.js';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob } from '../../support/jobs.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000050';
const ADMIN = '1100000000000000060';
const KEY = 'kie-secret-key-0123456789abcdef';

/** A Discord REST error as @discordjs/rest throws it (checked by name, status and code). */
function discordError(status: number, code: number): Error {
  const error = new Error('Missing Access') as Error & { status: number; code: number };
  error.name = `DiscordAPIError[${code}]`;
  error.status = status;
  error.code = code;
  return error;
}

function setupLog(options: { access?: ChannelAccess; locale?: string; fail?: () => Error | undefined } = {}) {
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const keyv = openKeyv('sqlite://:memory:');
  const settings = new SettingsStore(keyv, new SealedBox(randomBytes(32)), logger);
  const posts: Array<{ route: string; body: unknown }> = [];
  let now = 1_000_000;
  const access = { current: options.access ?? ({ kind: 'ok' } as ChannelAccess) };
  const audit = new AuditLog({
    rest: {
      post: async (route: string, request?: { body?: unknown }) => {
        posts.push({ route, body: request?.body });
        const error = options.fail?.();
        if (error) throw error;
        return {};
      },
    } as never,
    settings,
    models: createModelRegistry(),
    guilds: { locale: () => options.locale, access: () => access.current },
    logger,
    now: () => now,
  });
  return {
    audit,
    settings,
    keyv,
    posts,
    logs,
    access,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Lets the queued posts run (they are asynchronous by design). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

function failedJob(): JobRecord {
  const job = makePendingJob({ guildId: GUILD });
  return {
    ...job,
    status: 'failed',
    taskId: 't',
    failure: { key: 'job.failed.generation', params: { reason: 'x' } },
    endedAt: job.createdAt,
  };
}

describe('the audit log', () => {
  it('posts nothing while no channel is set, then one message per event in the server’s language', async () => {
    const world = setupLog({ locale: 'zh-CN' });
    world.audit.noteJobEnded(failedJob());
    await settle();
    expect(world.posts).toEqual([]);

    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    world.audit.noteJobEnded(failedJob());
    world.audit.noteChange(GUILD, ADMIN, { kind: 'key-removed' });
    await settle();
    expect(world.posts.map((post) => post.route)).toEqual([
      `/channels/${CHANNEL}/messages`,
      `/channels/${CHANNEL}/messages`,
      `/channels/${CHANNEL}/messages`,
    ]);
    const titles = world.posts.map(
      (post) => (post.body as { embeds: Array<{ title: string }> }).embeds[0]?.title,
    );
    expect(titles).toEqual(['设置已更改', '任务失败', '设置已更改']);
    for (const post of world.posts) expect(post.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('never posts the key, in any message about it', async () => {
    const world = setupLog();
    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    await world.settings.setKieKey(GUILD, KEY, ADMIN);
    world.audit.noteChange(GUILD, ADMIN, { kind: 'key-set' });
    world.audit.noteChange(GUILD, ADMIN, { kind: 'webhook-key-set' });
    world.audit.noteChange(GUILD, ADMIN, { kind: 'key-removed' });
    await settle();
    const text = JSON.stringify(world.posts);
    expect(world.posts).toHaveLength(4);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(-4));
  });

  it('returns at once, whatever Discord does with the post', async () => {
    const world = setupLog();
    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    await settle();
    const slow = new AuditLog({
      rest: { post: () => new Promise(() => undefined) } as never,
      settings: world.settings,
      models: createModelRegistry(),
      guilds: { locale: () => undefined, access: () => ({ kind: 'ok' }) },
      logger: pino({ level: 'silent' }),
    });
    const started = performance.now();
    for (let i = 0; i < 200; i++) slow.noteJobEnded(failedJob());
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('skips the post without a request when the bot lacks permissions there', async () => {
    const world = setupLog({ access: { kind: 'missing', missing: ['EmbedLinks'] } });
    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    world.audit.noteJobEnded(failedJob());
    await settle();
    expect(world.posts).toEqual([]);
  });

  it('remembers a 403, pauses the channel (no retry loop), tries again an hour later and clears it on success', async () => {
    let refuse = true;
    const world = setupLog({ fail: () => (refuse ? discordError(403, 50001) : undefined) });
    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    await settle();
    expect(world.posts).toHaveLength(1);
    expect((await world.settings.get(GUILD)).logChannel?.refused).toEqual({
      status: 403,
      code: 50001,
      at: 1_000_000,
    });
    for (let i = 0; i < 5; i++) world.audit.noteJobEnded(failedJob());
    await settle();
    expect(world.posts).toHaveLength(1);
    expect(JSON.stringify(world.logs)).not.toContain('make it dance');

    refuse = false;
    world.advance(REFUSED_PAUSE_MS);
    world.audit.noteJobEnded(failedJob());
    await settle();
    expect(world.posts).toHaveLength(2);
    expect((await world.settings.get(GUILD)).logChannel?.refused).toBeNull();
  });

  it('posts the turning off in the channel it leaves, then nothing', async () => {
    const world = setupLog();
    await world.audit.setChannel(GUILD, CHANNEL, ADMIN);
    const off = await world.audit.setChannel(GUILD, null, ADMIN);
    expect(off.before).toBe(CHANNEL);
    world.audit.noteJobEnded(failedJob());
    await settle();
    expect(world.posts).toHaveLength(2);
    const last = world.posts[1]?.body as { embeds: Array<{ description: string }> };
    expect(last.embeds[0]?.description).toBe(`The audit log was turned off; it posted in <#${CHANNEL}>.`);
    expect((await world.settings.get(GUILD)).logChannel).toBeNull();
  });
});

describe('JobStore’s ended hook', () => {
  it('tells each job’s end exactly once, not its other moves', async () => {
    const logger = pino({ level: 'silent' });
    const jobs = new JobStore(openKeyv('sqlite://:memory:'), logger);
    const ended: string[] = [];
    jobs.onEnded((job) => {
      ended.push(`${job.id}:${job.status}`);
    });
    jobs.onEnded(() => {
      throw new Error('a listener that throws changes nothing');
    });
    const pending = await jobs.create(makePendingJob());
    const submitted = await jobs.transition(pending, 'pending', (job) => ({
      ...job,
      status: 'submitted',
      taskId: 't',
      submittedAt: job.createdAt,
    }));
    expect(submitted.ok).toBe(true);
    expect(ended).toEqual([]);
    const cancel = () =>
      jobs.transition(pending, ['pending', 'submitted', 'running'], (job) => ({
        ...job,
        status: 'cancelled',
        taskId: 'taskId' in job ? job.taskId : null,
        endedAt: job.createdAt,
      }));
    const [first, second] = await Promise.all([cancel(), cancel()]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect(ended).toEqual([`${pending.id}:cancelled`]);
  });
});
