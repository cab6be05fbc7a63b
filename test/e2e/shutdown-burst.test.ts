import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

const LOADING = 128;

describe('SIGTERM in the middle of a burst of /animate', () => {
  it.each(['redis', 'sqlite'] as const)(
    'exits within seconds, and after the restart no member is left with a reply that is still thinking (%s)',
    async (store) => {
      const world = await createWorld(
        store,
        { script: { steps: [{ state: 'generating', ms: 60_000 }], outcome: { kind: 'success' } } },
        { limits: { cooldownSeconds: 0, perMemberPerDay: null, maxRunning: 100 } },
      );
      const first = await world.startBot();
      const burst = Array.from({ length: 40 }, () => world.animate());
      await world.discord.waitForRest((e) => e.route.includes('/callback'), 10_000);

      const stoppedAt = Date.now();
      await first.stop('SIGTERM');
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(first.exitCode).toBe(0);
      expect(first.logs).toContainEqual(expect.objectContaining({ msg: 'stopped' }));

      // Interactions the first process never acknowledged are gone, as with Discord; every one it
      // acknowledged ends as a job or with an answer once the next process is up.
      await world.startBot();
      const acknowledged = burst.filter((interaction) => world.discord.original(interaction));
      expect(acknowledged.length).toBeGreaterThan(0);
      const thinking = () =>
        acknowledged.filter((interaction) => {
          const reply = world.discord.original(interaction);
          return reply !== undefined && (reply.flags & LOADING) !== 0;
        });
      for (let waited = 0; thinking().length > 0 && waited < 20_000; waited += 250) await delay(250);
      expect(thinking()).toEqual([]);
    },
    60_000,
  );
});
