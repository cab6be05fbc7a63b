import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { Guardrails } from '../../../src/services/limits/guardrails.js';
import { guildSettingsSchema } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { UserFacingError } from '../../../src/services/user-facing-error.js';

const input = {
  guildId: '1100000000000000001',
  userId: '1100000000000000003',
  memberRoleIds: [],
  prompt: 'wave',
  imageBytes: Buffer.from('image'),
};

function guardrails() {
  const keyv = openKeyv('sqlite://:memory:');
  return new Guardrails(keyv, new JobStore(keyv, pino({ level: 'silent' })));
}

const settings = (limits: Record<string, unknown>) => guildSettingsSchema.parse({ limits });

describe('Guardrails', () => {
  it('gives the member their turn back when nothing was spent', async () => {
    const guard = guardrails();
    const strict = settings({ perMemberPerDay: 1, cooldownSeconds: 600 });
    const held = await guard.reserve(strict, input);
    await held.release();
    const again = await guard.reserve(strict, input);
    await again.commit();
    await expect(guard.reserve(strict, { ...input, prompt: 'other' })).rejects.toMatchObject({
      key: 'limits.cooldown',
    });
  });

  it('lets two quick commands through only as far as the limit allows', async () => {
    const guard = guardrails();
    const oneAtOnce = settings({ maxRunning: 1, cooldownSeconds: 0, perMemberPerDay: null });
    const results = await Promise.allSettled([
      guard.reserve(oneAtOnce, { ...input, prompt: 'a' }),
      guard.reserve(oneAtOnce, { ...input, prompt: 'b', userId: '1100000000000000009' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(UserFacingError);
    expect(refused.reason).toMatchObject({ key: 'limits.serverBusy' });
  });

  it('holds nothing in memory once places are committed, released or refused, across many servers and members', async () => {
    const guard = guardrails();
    const open = settings({ maxRunning: 3, cooldownSeconds: 60, perMemberPerDay: 10 });
    const servers = Array.from(
      { length: 40 },
      (_, index) => `12000000000000${String(index).padStart(5, '0')}`,
    );
    const memberOf = (guildId: string, index: number) => ({
      ...input,
      guildId,
      userId: `13000000000000${String(index).padStart(5, '0')}`,
      prompt: `wave ${index}`,
    });
    const running = async (guildId: string) =>
      (await guard.usageOf(open, { guildId, userId: input.userId, memberRoleIds: [] })).running;

    await Promise.all(
      servers.map(async (guildId) => {
        // Kie took it; Kie never got it; Kie refused it as invalid; three takes, one paid for.
        const paid = await guard.reserve(open, memberOf(guildId, 1));
        const unspent = await guard.reserve(open, memberOf(guildId, 2));
        const rejected = await guard.reserve(open, memberOf(guildId, 3));
        expect(await running(guildId)).toBe(3);
        // A fourth at once is refused: it holds nothing either.
        await expect(guard.reserve(open, memberOf(guildId, 4))).rejects.toMatchObject({
          key: 'limits.serverBusy',
        });
        await paid.commit();
        await unspent.release();
        await rejected.release({ keepCooldown: true });
        const takes = await guard.reserveTakes(open, memberOf(guildId, 5), 3);
        expect(await running(guildId)).toBe(3);
        await takes[0]?.commit();
        await takes[1]?.release();
        await takes[2]?.release();
        // Settling twice changes nothing.
        await takes[2]?.release();
        await paid.commit();
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    for (const guildId of servers) expect(await running(guildId)).toBe(0);
    expect(guard.entriesInMemory).toBe(0);
  });
});
