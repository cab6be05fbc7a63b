import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../../src/services/i18n/index.js';
import { jobSourceOf } from '../../../src/services/jobs/job-requests.js';
import { Blocklist, type ModerationEvent } from '../../../src/services/moderation/moderation.js';
import { createSubmitWorld, GUILD, MEMBER, type SubmitWorld } from '../../support/in-process.js';

const noCooldown = { cooldownSeconds: 0, perMemberPerDay: null };
const ADMIN = '1100000000000000099';

describe('the blocklist in the submitter', () => {
  let world: SubmitWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function withBlocklist(entries: string) {
    const events: ModerationEvent[] = [];
    const audit = { note: (event: ModerationEvent) => void events.push(event) };
    world = await createSubmitWorld({ limits: noCooldown, deps: { moderationAudit: audit } });
    await new Blocklist(world.settings, { logger: pino({ level: 'silent' }), audit }).add(
      GUILD,
      entries,
      ADMIN,
    );
    return { world, events };
  }

  it.each([
    ['plain, upper case', 'a NSFW scene', 'nsfw'],
    ['full-width', 'a ｎｓｆｗ scene', 'nsfw'],
    ['accented', 'a ñúdé statue dancing', 'nude'],
    ['Cyrillic look-alikes', 'ѕех on the beach', 'sex'],
    ['spelt out', 'a n.s.f.w scene', 'nsfw'],
    ['zero-width inside', 'a nu\u200Bde statue', 'nude'],
  ])(
    'refuses a %s blocklisted prompt before any download, upload or Kie call, without naming the word',
    async (_, prompt, entry) => {
      const { world, events } = await withBlocklist('nsfw, nude, sex');
      const outcome = await world.submitter.submit(world.request({ prompt }));
      expect(outcome).toMatchObject({ kind: 'refused', error: { key: 'moderation.refused' } });
      expect(world.imageFetches()).toBe(0);
      expect(world.kie.count('createTask')).toBe(0);
      expect(world.kie.count('file-stream-upload')).toBe(0);
      expect(world.kie.requests).toHaveLength(0);
      expect(await world.jobs.listActive(GUILD)).toHaveLength(0);
      for (const locale of ['en-US', 'zh-CN']) {
        const told = outcome.kind === 'refused' ? outcome.error.toLocalised(locale) : '';
        expect(told).toBe(translate(locale, 'moderation.refused'));
        expect(told.toLowerCase()).not.toContain(entry);
      }
      // The admins' side: which entry, and the prompt, to the audit hook (never to the member).
      expect(events.at(-1)).toEqual({
        kind: 'prompt-refused',
        guildId: GUILD,
        userId: MEMBER,
        channelId: world.request().channelId,
        entry,
        reading: expect.any(String),
        prompt,
      });
    },
  );

  it('lets ordinary words that contain a blocked one through', async () => {
    const { world, events } = await withBlocklist('ass, sex');
    const outcome = await world.submitter.submit(
      world.request({ prompt: 'a class of bass players in Essex' }),
    );
    expect(outcome.kind).toBe('submitted');
    expect(events.filter((event) => event.kind === 'prompt-refused')).toEqual([]);
  });

  it('screens Remix prompts and Again of a video whose prompt was blocked since, with nothing spent', async () => {
    const { world } = await withBlocklist('nsfw');
    const first = await world.submitter.submit(world.request({ prompt: 'the cat dances' }));
    if (first.kind !== 'submitted') throw new Error(`expected a job, got ${first.kind}`);
    const requests = world.kie.requests.length;
    const source = jobSourceOf(first.job);
    // What a button press hands the submitter: who pressed, where; no prompt of its own for Again.
    const { prompt: _, ...pressed } = world.request();

    const remix = await world.submitter.repeat({
      ...world.request(),
      source,
      prompt: 'the cat dances, ＮＳＦＷ',
    });
    expect(remix).toMatchObject({ kind: 'refused', error: { key: 'moderation.refused' } });

    await new Blocklist(world.settings, { logger: pino({ level: 'silent' }) }).add(GUILD, 'dances', ADMIN);
    const again = await world.submitter.repeat({ ...pressed, source });
    expect(again).toMatchObject({ kind: 'refused', error: { key: 'moderation.refused' } });
    expect(world.kie.requests.length).toBe(requests);
    expect(world.kie.count('createTask')).toBe(1);
  });

  it('tells the audit hook of every change to the list, and not of a change that changed nothing', async () => {
    const { world, events } = await withBlocklist('nsfw');
    const blocklist = new Blocklist(world.settings, {
      logger: pino({ level: 'silent' }),
      audit: { note: (event) => void events.push(event) },
    });
    await blocklist.add(GUILD, 'NSFW', ADMIN);
    await blocklist.remove(GUILD, 'ｎｓｆｗ, never there', ADMIN);
    expect(events).toEqual([
      {
        kind: 'blocklist-changed',
        guildId: GUILD,
        userId: ADMIN,
        action: 'add',
        entries: ['nsfw'],
        total: 1,
      },
      {
        kind: 'blocklist-changed',
        guildId: GUILD,
        userId: ADMIN,
        action: 'remove',
        entries: ['nsfw'],
        total: 0,
      },
    ]);
    expect(await blocklist.list(GUILD)).toEqual([]);
  });

  it('refuses still when the audit hook throws', async () => {
    world = await createSubmitWorld({
      limits: noCooldown,
      deps: {
        moderationAudit: {
          note: () => {
            throw new Error('log channel gone');
          },
        },
      },
    });
    await world.settings.update(GUILD, (current) => ({ ...current, blocklist: ['nsfw'] }));
    const outcome = await world.submitter.submit(world.request({ prompt: 'nsfw' }));
    expect(outcome).toMatchObject({ kind: 'refused', error: { key: 'moderation.refused' } });
  });
});
