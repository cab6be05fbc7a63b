import { describe, expect, it } from 'vitest';
import { translate } from '../../src/services/i18n/index.js';
import type { JobRecord } from '../../src/services/jobs/job-record.js';
import type { Interaction, MessageObject, RestLogEntry } from '../support/discord/stand-in.js';
import { startInProcessBot } from '../support/in-process-bot.js';

const HOUR = 60 * 60_000;
const OTHER_MEMBER = { id: '1300000000000000077' };

const buttonsOf = (message: MessageObject | undefined) =>
  (
    (message?.components ?? []) as Array<{ components: Array<{ label?: string; custom_id?: string }> }>
  ).flatMap((row) => row.components);
const callbackOf = (interaction: Interaction) => (e: RestLogEntry) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
/** What the bot answered a button press with: its content, and whether only the presser sees it. */
const answerOf = (entry: RestLogEntry) => {
  const { data } = entry.json as { data?: { content?: string; flags?: number } };
  return { content: data?.content, ephemeral: ((data?.flags ?? 0) & 64) === 64 };
};

describe('the "Try delivery again" button', () => {
  it('is the owner’s: after two hours of failed downloads it delivers the video once, and nothing twice', async () => {
    // The bot's clock: moved past the delivery window instead of waiting two hours.
    const clock = { ahead: 0 };
    const world = await startInProcessBot({ now: () => Date.now() + clock.ahead });
    try {
      const { discord, kie, bot, guildId } = world;
      const uploads = () => discord.log.filter((e) => e.files.some((file) => file.bytes.equals(kie.video)));
      const outage = kie.fault({ route: 'result', kind: 'status', code: 503 });
      const interaction = world.animate();

      // Made and paid for, but the video cannot be downloaded: the first attempt fails.
      let job: JobRecord | undefined;
      await expect
        .poll(
          async () => {
            [job] = await bot.context.jobs.listActive(guildId);
            return job?.status === 'delivering' ? job.deliveryAttempts : 0;
          },
          { timeout: 10_000 },
        )
        .toBeGreaterThanOrEqual(1);
      const jobId = job?.id ?? '';
      // Still failing once the two hours have passed: the job fails with the button.
      clock.ahead = 2 * HOUR + 60_000;
      bot.context.tracker.track({ guildId, id: jobId }, 0);
      await expect
        .poll(() => bot.context.jobs.get(guildId, jobId), { timeout: 10_000 })
        .toMatchObject({ status: 'failed', failure: { key: 'job.failed.download' } });
      await expect
        .poll(() => buttonsOf(discord.original(interaction)).map((button) => button.custom_id), {
          timeout: 5_000,
        })
        .toEqual([`redeliver:${jobId}`, `open:${jobId}`]);
      expect(buttonsOf(discord.original(interaction))[0]?.label).toBe('Try delivery again');
      const reply = discord.original(interaction) as MessageObject;
      const press = (user: 'user' | typeof OTHER_MEMBER) =>
        discord.sendButton({ customId: `redeliver:${jobId}`, user, messageId: reply.id });

      // Another member cannot: told whose it is, and nothing moves.
      const stranger = press(OTHER_MEMBER);
      expect(answerOf(await discord.waitForRest(callbackOf(stranger)))).toEqual({
        content: translate('en-US', 'job.notYoursRedeliver', { owner: `<@${discord.ids.user}>` }),
        ephemeral: true,
      });
      expect((await bot.context.jobs.get(guildId, jobId))?.status).toBe('failed');

      // Kie's link works again; the owner presses: the video reaches the channel, once.
      outage.remove();
      const owner = press('user');
      expect(answerOf(await discord.waitForRest(callbackOf(owner)))).toEqual({
        content: translate('en-US', 'job.redelivering'),
        ephemeral: true,
      });
      await expect.poll(() => uploads().length, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => bot.context.jobs.get(guildId, jobId), { timeout: 5_000 })
        .toMatchObject({ status: 'delivered' });
      expect(kie.count('createTask')).toBe(1);

      // A second press: the job has ended; nothing is delivered again.
      const again = press('user');
      expect(answerOf(await discord.waitForRest(callbackOf(again)))).toEqual({
        content: translate('en-US', 'job.alreadyEnded'),
        ephemeral: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(uploads()).toHaveLength(1);
      expect((await bot.context.jobs.get(guildId, jobId))?.status).toBe('delivered');
    } finally {
      await world.close();
    }
  });
});
