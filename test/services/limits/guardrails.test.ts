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
});
