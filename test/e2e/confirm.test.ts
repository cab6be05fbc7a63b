import { describe, expect, it } from 'vitest';
import type { RestLogEntry } from '../support/discord/stand-in.js';
import { createWorld } from './harness.js';

const editsOf = (token: string) => (e: RestLogEntry) => e.method === 'PATCH' && e.route.includes(token);

describe('confirm before spending', () => {
  it('asks first when the estimate is above the threshold, and makes the video only on Make it', async () => {
    const world = await createWorld(
      'sqlite',
      {},
      { limits: { cooldownSeconds: 0, perMemberPerDay: null, confirmAboveCredits: 20 } },
    );
    await world.startBot();
    const interaction = world.animate();
    const question = await world.discord.waitForRest(
      (e) => editsOf(interaction.token)(e) && JSON.stringify(e.json).includes('confirm:'),
      10_000,
    );
    expect((question.json as { content: string }).content).toBe(
      'This video is estimated at about 30 credits, above this server’s 20-credit threshold. Make it?',
    );
    expect(world.kie.count('createTask')).toBe(0);

    const customId = JSON.stringify(question.json).match(/"custom_id":"(confirm:[a-z0-9]+)"/)?.[1] ?? '';
    const message = world.discord.original(interaction);
    const press = world.discord.sendButton({ customId, messageId: message?.id ?? '' });
    const video = await world.discord.waitForRest(
      (e) => editsOf(press.token)(e) && e.files.length > 0,
      20_000,
    );
    expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    expect(world.kie.count('createTask')).toBe(1);
    expect(world.discord.messages.get(message?.id ?? '')?.attachments).toHaveLength(1);

    // The same question cannot be answered twice.
    const again = world.discord.sendButton({ customId, messageId: message?.id ?? '' });
    const expired = await world.discord.waitForRest(
      (e) => e.method === 'POST' && e.route.includes(again.token) && e.route.endsWith('/callback'),
    );
    expect(JSON.stringify(expired.json)).toContain('This confirmation has expired');
    expect(world.kie.count('createTask')).toBe(1);
    world.discord.assertNoViolations();
  });

  it('spends nothing when the member cancels, and only the member may answer', async () => {
    const world = await createWorld(
      'sqlite',
      {},
      { limits: { cooldownSeconds: 0, perMemberPerDay: null, confirmAboveCredits: 20 } },
    );
    await world.startBot();
    const interaction = world.animate();
    const question = await world.discord.waitForRest(
      (e) => editsOf(interaction.token)(e) && JSON.stringify(e.json).includes('confirm-no:'),
      10_000,
    );
    const id = JSON.stringify(question.json).match(/"custom_id":"confirm-no:([a-z0-9]+)"/)?.[1] ?? '';
    const messageId = world.discord.original(interaction)?.id ?? '';

    const stranger = world.discord.sendButton({ customId: `confirm:${id}`, messageId, user: 'admin' });
    const refused = await world.discord.waitForRest(
      (e) => e.route.includes(stranger.token) && e.route.endsWith('/callback'),
    );
    expect(refused.json).toMatchObject({ type: 4, data: { flags: 64 } });

    const cancel = world.discord.sendButton({ customId: `confirm-no:${id}`, messageId });
    const done = await world.discord.waitForRest(
      (e) => e.route.includes(cancel.token) && e.route.endsWith('/callback'),
    );
    expect(done.json).toMatchObject({
      type: 7,
      data: { content: 'Cancelled. No credits were spent.', components: [] },
    });
    expect(world.kie.count('createTask')).toBe(0);
    world.discord.assertNoViolations();
  });
});
