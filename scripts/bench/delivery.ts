// Delivery: N concurrent deliveries of a large video (default 50 × 40 MB) by the real bot (src/index.ts
// as a child process): one /animate per server (attachment limit 100 MiB, boost tier 3), Kie tasks
// held `generating` and then all ended with success at once. Figures: the bot's peak RSS growth
// against one video's size, and the time from Kie's success to the reply edit with the video.
// The floor, measured in the same run: a process that only fetches each video whole and uploads
// it with @discordjs/rest, all at once. Uploads go to a streaming sink (support/upload-sink.ts).
// `npm run bench delivery [-- --deliveries 50 --mb 40 --store sqlite|redis --quick --force]`.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BotProcess, seedGuildKey } from '../../test/support/bot-process.js';
import { startDiscordStandIn } from '../../test/support/discord/stand-in.js';
import { makePng } from '../../test/support/images.js';
import { runChild } from './support/child.js';
import { KieChild } from './support/kie-remote.js';
import {
  findProcessByEnv,
  load,
  MiB,
  machine,
  memoryOf,
  mib,
  percentile,
  round,
  sleep,
  snowflakeAt,
  stopBot,
  table,
  waitUntil,
} from './support/report.js';
import { benchStore, botEnv, storeKind } from './support/store.js';
import { startUploadSink } from './support/upload-sink.js';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string' },
    mb: { type: 'string' },
    store: { type: 'string', default: 'sqlite' },
    quick: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
  strict: false,
});
const count = Number(values.deliveries ?? (values.quick ? 5 : 50));
const videoBytes = Math.round(Number(values.mb ?? (values.quick ? 8 : 40)) * 1_000_000);
const kind = storeKind(values.store);
const LIMIT = 100 * MiB;
const keyOf = (g: number) => `kie-bench-delivery-${String(g).padStart(4, '0')}`;

console.log(
  `# Delivery: ${count} concurrent deliveries of a ${round(videoBytes / 1e6)} MB video (${kind} store)`,
);
console.log(machine());

// Held whole in memory, a video can be in several copies at once (download, upload body): on a
// shared machine, do not start what cannot fit.
const available =
  Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
const needed = count * videoBytes * 3 + 512 * MiB;
if (available < needed && !values.force) {
  console.log(
    `Not run: ${count} × ${round(videoBytes / 1e6)} MB may need ~${mib(needed)} MiB and ${mib(available)} MiB are available. ` +
      'Use fewer --deliveries or a smaller --mb, or --force.',
  );
  process.exit(0);
}

const kie = await KieChild.start({
  keys: Object.fromEntries(Array.from({ length: count }, (_, g) => [keyOf(g), 1_000_000_000])),
  script: { steps: [], outcome: { kind: 'never' } },
  fetchImages: false,
});
const discord = await startDiscordStandIn({ guilds: count, guildPremiumTier: 3 });
const sink = await startUploadSink(discord.port, LIMIT);
const store = await benchStore(kind);
// The sink stands in front of Discord's REST; the attachments stay on the stand-in's CDN.
const env = {
  ...botEnv(store, { discord: sink.restApi, kie: kie.url, token: discord.token }),
  DISCORD_CDN_URL: discord.restApi,
};
for (const [index, guild] of discord.ids.guilds.entries()) {
  await seedGuildKey(env, guild.id, keyOf(index), {
    cooldownSeconds: 0,
    perMemberPerDay: null,
    maxRunning: 100,
  });
}
const bot = new BotProcess(env).start();
try {
  await bot.waitForMessage('bot ready', 60_000);
  console.log('bot ready; sending the interactions');
  const pid = findProcessByEnv('STORE_NAMESPACE', store.namespace);
  if (!pid) throw new Error('cannot find the bot process');

  const attachment = discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
    width: 64,
    height: 36,
  });
  const userEpoch = Date.now() - 400 * 24 * 3600_000;
  const interactions = Array.from({ length: count }, (_, g) =>
    discord.sendSlashCommand({
      name: 'animate',
      guild: g,
      user: { id: snowflakeAt(userEpoch, g + 1) },
      attachmentSizeLimit: LIMIT,
      options: [
        { name: 'image', type: 11, value: attachment.id },
        { name: 'prompt', type: 3, value: `delivery ${g}` },
      ],
    }),
  );
  let tasks: Array<{ taskId: string; apiKey: string }> = [];
  for (const deadline = Date.now() + 180_000; tasks.length < count && Date.now() < deadline; ) {
    await sleep(500);
    tasks = await kie.list();
  }
  if (tasks.length < count) {
    const tail = bot.logs.slice(-10).map((line) => `${line.msg} ${JSON.stringify(line.err ?? '')}`);
    throw new Error(`only ${tasks.length} of ${count} tasks were created; bot log:\n${tail.join('\n')}`);
  }
  console.log(`${count} Kie tasks created; ending them all with success`);
  // Every job polled at least once (2–3 s pace), so each is `running` when Kie succeeds.
  await sleep(4000);

  const baseline = memoryOf(pid)?.rss ?? 0;
  await writeFile(`/proc/${pid}/clear_refs`, '5');
  let sampled = baseline;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, memoryOf(pid)?.rss ?? 0);
  }, 50);
  const loadBefore = load();
  const successAt = await kie.finish(
    tasks.map((t) => t.taskId),
    { kind: 'success', videoBytes },
  );
  if (!(await waitUntil(() => sink.uploads.length >= count, 60_000 + count * 6_000, 100))) {
    const tail = bot.logs.slice(-10).map((line) => `${line.msg} ${JSON.stringify(line.err ?? '')}`);
    throw new Error(
      `only ${sink.uploads.length} of ${count} videos reached Discord; bot log:\n${tail.join('\n')}`,
    );
  }
  clearInterval(sampler);
  const uploads = [...sink.uploads];
  const peak = Math.max(memoryOf(pid)?.peak ?? 0, sampled);
  const loadAfter = load();

  // Who is who: upload → interaction token → server → key → task → the poll that saw the success.
  const taskOfKey = new Map(tasks.map((t) => [t.apiKey, t.taskId]));
  const guildOfToken = new Map(interactions.map((i, g) => [i.token, g]));
  const polls = await kie.polls(successAt);
  const sawSuccess = new Map<string, number>();
  for (const poll of polls) {
    if (poll.taskId && !sawSuccess.has(poll.taskId)) sawSuccess.set(poll.taskId, poll.at);
  }
  const fromSuccess: number[] = [];
  const fromPoll: number[] = [];
  const transfer: number[] = [];
  const spans: Array<[number, number]> = [];
  for (const upload of uploads) {
    const g = guildOfToken.get(upload.token);
    const taskId = g === undefined ? undefined : taskOfKey.get(keyOf(g));
    const polled = taskId ? sawSuccess.get(taskId) : undefined;
    fromSuccess.push(upload.endedAt - successAt);
    if (polled !== undefined) fromPoll.push(upload.endedAt - polled);
    spans.push([polled ?? successAt, upload.endedAt]);
    transfer.push(upload.endedAt - upload.startedAt);
  }
  // How many were under way at once: from the poll that saw the success to the end of the upload.
  const overlap = Math.max(
    ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length),
  );
  const refused = uploads.filter((u) => u.status !== 200).length;
  const delivered = bot.logs.filter((line) => line.msg === 'job delivered');
  const asLink = delivered.filter((line) => line.deliveredAs === 'link').length;
  if (!(await stopBot(bot, store.namespace)))
    console.log('(the bot had not exited 15 s after SIGTERM; killed)');

  // The floor, on the same (finished) tasks and the same sink.
  const targetsFile = path.join(store.dataDir, 'targets.json');
  await writeFile(
    targetsFile,
    JSON.stringify(
      tasks.map((t, i) => ({
        url: `${kie.url}/results/${t.taskId}.mp4`,
        app: discord.ids.app,
        token: `floor-${i}`,
      })),
    ),
  );
  const floorLoad = load();
  const floor = await runChild<{ startedAt: number; ends: number[]; baseline: number; peak: number }>(
    'scripts/bench/support/bare-delivery.ts',
    { BENCH_TARGETS_FILE: targetsFile, BENCH_SINK_API: sink.restApi },
  );
  const floorTimes = floor.ends.map((end) => end - floor.startedAt);

  const video = videoBytes;
  table(
    ['figure', 'bot (src/index.ts)', 'floor: streamed, nothing held', 'note'],
    [
      [
        'deliveries (as attachment / as link / refused)',
        `${uploads.length - refused} / ${asLink} / ${refused}`,
        floor.ends.length,
        `${count} at once`,
      ],
      [
        'deliveries under way at once (max)',
        overlap,
        floor.ends.length,
        'bot: spread by the 2–3 s poll pace',
      ],
      ['RSS before the videos (MiB)', mib(baseline), mib(floor.baseline), ''],
      ['peak RSS (MiB)', mib(peak), mib(floor.peak), ''],
      [
        'peak RSS growth (MiB)',
        mib(peak - baseline),
        mib(floor.peak - floor.baseline),
        `one video: ${mib(video, 1)} MiB`,
      ],
      [
        'peak RSS growth ÷ one video',
        round((peak - baseline) / video, 1),
        round((floor.peak - floor.baseline) / video, 1),
        `${count} videos in flight`,
      ],
      [
        'Kie success → reply edited with the video, p50 / p99 (ms)',
        `${percentile(fromSuccess, 50)} / ${percentile(fromSuccess, 99)}`,
        '',
        'includes the wait for the next poll (2–3 s pace)',
      ],
      [
        'poll that saw success → reply edited, p50 / p99 (ms)',
        `${percentile(fromPoll, 50)} / ${percentile(fromPoll, 99)}`,
        `${percentile(floorTimes, 50)} / ${percentile(floorTimes, 99)}`,
        'floor: start → upload done',
      ],
      [
        'upload transfer alone, p50 / p99 (ms)',
        `${percentile(transfer, 50)} / ${percentile(transfer, 99)}`,
        '',
        '',
      ],
      ['load', `${loadBefore} → ${loadAfter}`, floorLoad, ''],
    ],
  );
} finally {
  await stopBot(bot, store.namespace);
  await sink.close();
  await discord.close();
  await kie.close();
  await store.dispose();
}
