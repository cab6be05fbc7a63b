// One /animate exchange at a time on the local stand-ins, with the real entry point as a child
// process: ack latency (INTERACTION_CREATE sent → defer received) and wall time to the video.
// `npm run bench:exchange [-- --runs 20]` or `npm run bench exchange`. Prints figures; no thresholds.
import { parseArgs } from 'node:util';
import { BotProcess, makeBotEnv, seedGuildKey } from '../../test/support/bot-process.js';
import { startDiscordStandIn } from '../../test/support/discord/stand-in.js';
import { makePng } from '../../test/support/images.js';
import { startKieStandIn } from '../../test/support/kie/stand-in.js';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, quick: { type: 'boolean', default: false } },
  strict: false,
});
const runs = Number(values.runs ?? (values.quick ? 3 : 10));
const key = 'kie-bench-key-0000';

const discord = await startDiscordStandIn();
const kie = await startKieStandIn({
  keys: { [key]: 1_000_000 },
  script: { steps: [], outcome: { kind: 'success' } },
});
const env = await makeBotEnv('sqlite', { discord: discord.restApi, kie: kie.url, token: discord.token });
const guildId = discord.ids.guilds[0]?.id ?? '';
await seedGuildKey(env, guildId, key, { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 100 });
const bot = new BotProcess({ ...env, LOG_LEVEL: 'info' }).start();
const startedAt = Date.now();
await bot.waitForMessage('bot ready', 30_000);
const readyMs = Date.now() - startedAt;

const acks: number[] = [];
const walls: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const attachment = discord.seedAttachment('cat.png', 'image/png', makePng(64, 36), {
    width: 64,
    height: 36,
  });
  const interaction = discord.sendSlashCommand({
    name: 'animate',
    options: [
      { name: 'image', type: 11, value: attachment.id },
      { name: 'prompt', type: 3, value: `run ${run}` },
    ],
  });
  const defer = await discord.waitForRest(
    (e) => e.route === `/interactions/${interaction.id}/${interaction.token}/callback`,
  );
  const video = await discord.waitForRest(
    (e) => e.route.includes(interaction.token) && e.files.length > 0,
    30_000,
  );
  acks.push(defer.at - interaction.sentAt);
  walls.push(video.at - interaction.sentAt);
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const percentile = (list: number[], p: number) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
console.log(`bot start → ready: ${readyMs} ms (tsx + discord.js load + login)`);
console.log(`runs: ${runs}`);
console.log('| figure | p50 | p90 | max |');
console.log('|---|---|---|---|');
console.log(
  `| ack latency (ms) | ${percentile(acks, 50)} | ${percentile(acks, 90)} | ${Math.max(...acks)} |`,
);
console.log(
  `| /animate → video in reply (ms) | ${percentile(walls, 50)} | ${percentile(walls, 90)} | ${Math.max(...walls)} |`,
);
console.log(
  '(wall time is dominated by the first recordInfo poll, 2–3 s after submission, per Kie’s documented pace)',
);

await bot.stop('SIGTERM');
await discord.close();
await kie.close();
