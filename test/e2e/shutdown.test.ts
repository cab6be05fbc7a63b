import { describe, expect, it } from 'vitest';
import { createWorld } from './harness.js';

describe('graceful shutdown', () => {
  it('stops on SIGTERM without losing the running job, which the next start delivers', async () => {
    const world = await createWorld('sqlite', {
      script: { steps: [{ state: 'generating', ms: 6_000 }], outcome: { kind: 'success' } },
    });
    const first = await world.startBot();
    const interaction = world.animate();
    await first.waitForMessage('job submitted');

    const stoppedAt = Date.now();
    await first.stop('SIGTERM');
    expect(first.exitCode).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(first.logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining('shutting down') }),
    );

    const second = await world.startBot();
    expect((await second.waitForMessage('bot ready')).resumed).toBe(1);
    const video = await world.discord.waitForRest(
      (e) => e.route.includes(interaction.token) && e.files.length > 0,
      20_000,
    );
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    expect(world.kie.count('createTask')).toBe(1);
  });
});
