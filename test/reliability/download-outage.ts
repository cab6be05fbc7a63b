import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import { ReplyEditor } from '../../src/services/discord/reply-editor.js';
import type { JobOf, JobRecord } from '../../src/services/jobs/job-record.js';
import { tokenContext } from '../../src/services/jobs/job-requests.js';
import { createJobRunner } from '../../src/services/jobs/job-runner.js';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { KieClient } from '../../src/services/kie/index.js';
import { MediaFetcher } from '../../src/services/media/safe-fetch.js';
import { createModelRegistry } from '../../src/services/models/registry.js';
import { JobMessages } from '../../src/services/render/job-messages.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { type RestLogEntry, startDiscordStandIn } from '../support/discord/stand-in.js';
import { makePendingJob, storeJob } from '../support/jobs.js';
import { startKieStandIn } from '../support/kie/stand-in.js';

const MINUTE = 60_000;
const KEY = 'kie-rel-outage-key';
const MODEL = 'sora-2-image-to-video';

export interface SimulatedOutage {
  /** Download attempts: each starts at the bare result URL. */
  attempts: number;
  /** Minutes on the runner's clock from the task's end to the delivery (or the job's end). */
  minutes: number;
  job: JobRecord | undefined;
  /** Discord writes that carried the video (a file named .mp4). */
  uploads: RestLogEntry[];
  /** Discord writes that told the member the video could not be had. */
  failures: RestLogEntry[];
}

/**
 * A finished video whose result URL answers 503 for `outageMinutes`, tracked by the real job
 * runner on a clock the test drives: the real store (a SQLite file), the real Kie client and
 * media fetcher against the Kie stand-in, the real reply editor against the Discord stand-in
 * (whose clock moves with the runner's). Each step runs when the runner asked for it, at once
 * in real time. The interaction token is long expired, so replies go through the channel.
 */
export async function simulateDownloadOutage(outageMinutes: number): Promise<SimulatedOutage> {
  const logger = pino({ level: 'silent' });
  const dir = await mkdtemp(path.join(tmpdir(), 'animate-rel-outage-'));
  const kie = await startKieStandIn({
    keys: { [KEY]: 1_000_000 },
    script: { steps: [], outcome: { kind: 'success' } },
    fetchImages: false,
  });
  const discord = await startDiscordStandIn({ guilds: 1 });
  const keyv = openKeyv(`sqlite://${dir}/animate.sqlite`, { namespace: 'rel-outage' });
  const rest = new REST({ version: '10', api: discord.restApi }).setToken(discord.token);
  const client = new KieClient({ apiUrl: kie.url, uploadUrl: kie.url, timeoutMs: 5_000, logger });
  const media = new MediaFetcher({ trustedOrigins: [kie.url] });
  const clock = { now: Date.now() };
  try {
    const box = new SealedBox(randomBytes(32));
    const jobs = new JobStore(keyv, logger, () => clock.now);
    const settings = new SettingsStore(keyv, box, logger);
    const [guild] = discord.ids.guilds;
    if (!guild) throw new Error('no guild');
    await settings.setKieKey(guild.id, KEY, guild.id);
    const runner = createJobRunner({
      jobs,
      kie: client,
      settings,
      box,
      replies: new ReplyEditor(rest, logger, () => clock.now),
      messages: new JobMessages(createModelRegistry()),
      logger,
      maxVideoBytes: 10 * 1024 * 1024,
      downloadTimeoutMs: 10_000,
      media,
      deadlineMinutes: 30,
      createTaskWindowMs: MINUTE,
      scratchDir: path.join(dir, 'scratch'),
      now: () => clock.now,
    });
    const { taskId } = await client.createTask(KEY, {
      model: MODEL,
      input:
        createModelRegistry()
          .get(MODEL)
          ?.buildInput({ imageUrl: `${kie.url}/files/cat.png`, options: makePendingJob().options }) ?? {},
    });
    const outage = kie.fault({ route: 'result', kind: 'status', code: 503, taskId });
    // The reply the job edits: the bot's own message in the channel (the token died long ago).
    const member = '1300000000000000007';
    const reply = (await rest.post(`/channels/${guild.channel}/messages`, {
      body: { content: `<@${member}> animating…` },
    })) as { id: string };
    const base = makePendingJob({ guildId: guild.id, channelId: guild.channel, userId: member });
    let job: JobRecord = await storeJob(jobs, {
      ...base,
      status: 'running',
      applicationId: discord.ids.app,
      interactionTokenSealed: box.seal('a-token-that-expired', tokenContext(base.id)),
      tokenExpiresAt: clock.now - MINUTE,
      replyMessageId: reply.id,
      kieKeySealed: settings.sealKieKey(guild.id, KEY),
      taskId,
      submittedAt: clock.now,
      lastKieState: 'generating',
      shownState: 'generating',
      lastEditAt: clock.now,
    } as JobOf<'running'>);

    const endedAt = clock.now;
    let outcome = await runner.step(job);
    while (outcome.next === 'poll') {
      clock.now += outcome.inMs;
      discord.clock.advance(outcome.inMs);
      if (clock.now - endedAt >= outageMinutes * MINUTE) outage.remove();
      job = (await jobs.get(guild.id, job.id)) ?? job;
      outcome = await runner.step(job);
    }
    const writes = discord.log.filter(
      (e) => e.method !== 'GET' && e.status < 300 && e.route.startsWith(`/channels/${guild.channel}/`),
    );
    return {
      attempts: kie.requests.filter(
        (r) => r.route === 'result' && r.path.includes(taskId) && r.query.token === undefined,
      ).length,
      minutes: (clock.now - endedAt) / MINUTE,
      job: await jobs.get(guild.id, job.id),
      uploads: writes.filter((e) => e.files.some((file) => file.name.endsWith('.mp4'))),
      failures: writes.filter((e) => /could not download/.test(JSON.stringify(e.json ?? ''))),
    };
  } finally {
    await client.close();
    await media.close();
    await keyv.disconnect();
    await discord.close();
    await kie.close();
    await rm(dir, { recursive: true, force: true });
  }
}
