import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { Guardrails } from '../../../src/services/limits/guardrails.js';
import { guildSettingsSchema } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';

const T0 = Date.UTC(2026, 11, 1, 22, 0, 0);
const MIDNIGHT = Date.UTC(2026, 11, 2);
const member = { guildId: '1100000000000000001', userId: '1100000000000000003', memberRoleIds: [] };
const input = { ...member, prompt: 'wave', imageBytes: Buffer.from('image') };

function guardrails(now: () => number) {
  const keyv = openKeyv('sqlite://:memory:');
  return new Guardrails(keyv, new JobStore(keyv, pino({ level: 'silent' })), now);
}

describe('Guardrails.usageOf', () => {
  it('shows what the checks enforce: the day’s count, the cooldown’s end and the jobs at once', async () => {
    let now = T0;
    const guard = guardrails(() => now);
    const settings = guildSettingsSchema.parse({
      limits: { perMemberPerDay: 2, cooldownSeconds: 60, maxRunning: 3 },
    });
    expect(await guard.usageOf(settings, member)).toEqual({
      allowed: true,
      usedToday: 0,
      perDay: 2,
      leftToday: 2,
      dayEndsAt: MIDNIGHT,
      cooldownSeconds: 60,
      cooldownEndsAt: null,
      running: 0,
      maxRunning: 3,
    });

    // A place held (past the checks, not yet recorded) counts at once, as `check` counts it.
    const held = await guard.reserve(settings, input);
    expect(await guard.usageOf(settings, member)).toMatchObject({
      usedToday: 1,
      leftToday: 1,
      cooldownEndsAt: T0 + 60_000,
      running: 1,
    });
    await held.commit();

    // In the cooldown: check refuses until exactly the time usage shows.
    now = T0 + 59_000;
    await expect(guard.check(settings, member)).rejects.toMatchObject({
      key: 'limits.cooldown',
      params: { when: `<t:${(T0 + 60_000) / 1000}:R>` },
    });
    now = T0 + 60_000;
    expect((await guard.usageOf(settings, member)).cooldownEndsAt).toBeNull();
    await (await guard.reserve(settings, { ...input, prompt: 'two' })).commit();

    // None left today: check refuses, naming the same reset time.
    now = T0 + 120_000;
    expect(await guard.usageOf(settings, member)).toMatchObject({ usedToday: 2, leftToday: 0 });
    await expect(guard.check(settings, member)).rejects.toMatchObject({
      key: 'limits.daily',
      params: { when: `<t:${MIDNIGHT / 1000}:R>` },
    });
    // A new day (UTC): the count starts again.
    now = MIDNIGHT + 1_000;
    expect(await guard.usageOf(settings, member)).toMatchObject({ usedToday: 0, leftToday: 2 });
  });

  it('reads no limit as unlimited, no cooldown as none, and says when the member lacks the role', async () => {
    const guard = guardrails(() => T0);
    const settings = guildSettingsSchema.parse({
      limits: { perMemberPerDay: null, cooldownSeconds: 0, allowedRoleId: '1100000000000000077' },
    });
    expect(await guard.usageOf(settings, member)).toMatchObject({
      allowed: false,
      perDay: null,
      leftToday: null,
      cooldownSeconds: 0,
      cooldownEndsAt: null,
    });
    const withRole = { ...member, memberRoleIds: ['1100000000000000077'] };
    expect((await guard.usageOf(settings, withRole)).allowed).toBe(true);
  });
});
