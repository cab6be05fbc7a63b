import { describe, expect, it } from 'vitest';
import type { MessageObject } from '../support/discord/stand-in.js';
import { startInProcessBot } from '../support/in-process-bot.js';

/**
 * Node 24 lists a file-backed Blob that was read to its end (the video uploaded through
 * `openAsBlob`) as a FileHandleReadWrap for good, though it holds nothing: a script that uploads
 * such a file and checks this list still exits by itself. Every other kind counts.
 */
const HOLDS_NOTHING = new Set(['FileHandleReadWrap']);

/** What keeps this process's event loop alive, counted by kind (sockets, servers, timers…). */
function countByKind(resources: string[] = process.getActiveResourcesInfo()): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of resources) if (!HOLDS_NOTHING.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * What is alive now beyond `before`, waiting up to `timeoutMs` for closing sockets to finish (the
 * stand-ins' ends of the bot's connections take about 3 s to go once the bot closed its own).
 */
async function leftOpenSince(before: Map<string, number>, timeoutMs = 10_000): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const extra = [...countByKind()].flatMap(([kind, count]) =>
      count > (before.get(kind) ?? 0) ? [`${kind} ×${count - (before.get(kind) ?? 0)}`] : [],
    );
    if (extra.length === 0 || Date.now() > end) return extra;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const buttonIds = (message: MessageObject | undefined): string[] =>
  ((message?.components ?? []) as Array<{ components: Array<{ custom_id?: string }> }>)
    .flatMap((row) => row.components)
    .flatMap((component) => (component.custom_id ? [component.custom_id] : []));

describe('buildBot', () => {
  it('builds the bot with stand-in parts, delivers one /animate as a video, and stops leaving nothing open', async () => {
    const world = await startInProcessBot();
    try {
      const interaction = world.animate();
      const video = await world.discord.waitForRest(
        (e) => e.method === 'PATCH' && e.route.includes(interaction.token) && e.files.length > 0,
        15_000,
      );
      expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
      expect(world.kie.count('createTask')).toBe(1);
      const jobId = buttonIds(world.discord.original(interaction))
        .find((id) => id.startsWith('again:'))
        ?.slice('again:'.length);
      // Recorded once Discord has it (the edit's answer comes first).
      await expect
        .poll(() => world.bot.context.jobs.get(world.guildId, jobId ?? ''), { timeout: 5_000 })
        .toMatchObject({ status: 'delivered', deliveredAs: 'attachment' });
      await world.bot.stop('test over');
      expect(world.logs.map((line) => line.msg)).toContain('stopped');
      // With the stand-ins still up, nothing the bot opened is left (connections, timers): a
      // process that runs it ends by itself once it stopped.
      expect(await leftOpenSince(countByKind(world.resourcesBeforeBot))).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
