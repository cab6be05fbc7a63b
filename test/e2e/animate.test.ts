import { describe, expect, it } from 'vitest';
import { makeGif, makePng } from '../support/images.js';
import { useRedis } from '../support/redis.js';
import { createWorld, KIE_KEY, type World } from './harness.js';

const isWebhookEdit = (e: { method: string; route: string }) =>
  e.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(e.route);
const isChannelEdit = (e: { method: string; route: string }) =>
  e.method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(e.route);
const isChannelPost = (e: { method: string; route: string }) =>
  e.method === 'POST' && /^\/channels\/\d+\/messages$/.test(e.route);

const MIB = 1024 * 1024;

const stores = [
  { store: 'sqlite' as const, enabled: true },
  { store: 'redis' as const, enabled: await useRedis() },
];

/** The reply's final text once the bot has answered the interaction with an error. */
async function refusal(world: World, interaction: { token: string }) {
  const edit = await world.discord.waitForRest(
    (e) => isWebhookEdit(e) && e.route.includes(interaction.token),
  );
  return (edit.json as { content?: string }).content ?? '';
}

for (const { store, enabled } of stores) {
  describe.runIf(enabled)(`/animate end to end on ${store}`, () => {
    it('defers within 3 s, submits the documented input and edits the reply with the finished mp4', async () => {
      const world = await createWorld(store);
      await world.startBot();
      const interaction = world.animate({ options: [{ name: 'duration', type: 4, value: 15 }] });

      const defer = await world.discord.waitForRest(
        (e) =>
          e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`,
      );
      expect(defer.json).toMatchObject({ type: 5 });
      expect(defer.at - interaction.sentAt).toBeLessThan(3_000);

      const video = await world.discord.waitForRest((e) => isWebhookEdit(e) && e.files.length > 0, 20_000);
      expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
      expect(video.files[0]?.name).toBe('video.mp4');

      const [task] = [...world.kie.tasks.values()];
      expect(task?.model).toBe('sora-2-image-to-video');
      expect(task?.input).toStrictEqual({
        prompt: 'the cat waves at the camera',
        image_urls: [expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//)],
        aspect_ratio: 'landscape',
        n_frames: '15',
        remove_watermark: true,
      });
      expect(task?.apiKey).toBe(KIE_KEY);
      const reply = world.discord.original(interaction);
      expect(reply?.attachments).toHaveLength(1);
      expect(reply?.content).toContain(`<@${interaction.userId}>`);
      world.discord.assertNoViolations();
    });

    it('delivers to the same reply after the bot was killed while the video was generating', async () => {
      // Generating until the test ends it, so the kill surely lands mid-generation even on a slow machine.
      const world = await createWorld(store, {
        script: { steps: [{ state: 'queuing', ms: 100 }], outcome: { kind: 'never' } },
      });
      const first = await world.startBot();
      const interaction = world.animate({
        image: { name: 'tall.png', type: 'image/png', bytes: makePng(36, 64) },
      });
      await first.waitForLog((line) => line.msg === 'job submitted', 15_000);
      // The first poll comes 2–3 s after submission; kill the bot after it.
      while (world.kie.count('recordInfo') === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      await first.stop('SIGKILL');

      const second = await world.startBot();
      expect((await second.waitForMessage('bot ready')).resumed).toBe(1);
      const [task] = [...world.kie.tasks.values()];
      world.kie.finish(task?.taskId ?? '', { kind: 'success' });
      const video = await world.discord.waitForRest((e) => isWebhookEdit(e) && e.files.length > 0, 20_000);
      expect(video.route).toContain(interaction.token);
      expect(world.kie.count('createTask')).toBe(1);
      expect([...world.kie.tasks.values()][0]?.input).toMatchObject({ aspect_ratio: 'portrait' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(world.discord.log.filter((e) => e.files.length > 0)).toHaveLength(1);
      world.discord.assertNoViolations();
    });

    it('edits the reply with the bot token once the interaction token has expired', async () => {
      const world = await createWorld(store);
      await world.startBot();
      // Created 14 min 50 s ago: the token dies while the job runs.
      world.animate({ createdAt: world.discord.clock.now() - (14 * 60 + 50) * 1000 });
      const video = await world.discord.waitForRest((e) => isChannelEdit(e) && e.files.length > 0, 20_000);
      expect(video.headers.authorization).toBe(`Bot ${world.discord.token}`);
      expect(video.files[0]?.bytes.equals(world.kie.video)).toBe(true);
      expect(world.discord.expiredTokenUses).toBe(0);
      world.discord.assertNoViolations();
    });

    it('posts a new message that mentions the member when the reply cannot be edited any more', async () => {
      const world = await createWorld(store);
      await world.startBot();
      world.discord.intercept((e) => e.method === 'PATCH' && e.route.startsWith('/channels/'), {
        status: 404,
        json: { message: 'Unknown Message', code: 10008 },
      });
      const interaction = world.animate({ createdAt: world.discord.clock.now() - (14 * 60 + 50) * 1000 });
      const post = await world.discord.waitForRest((e) => isChannelPost(e) && e.files.length > 0, 20_000);
      expect(post.json).toMatchObject({
        content: expect.stringContaining(`<@${interaction.userId}>`),
        allowed_mentions: { users: [interaction.userId] },
        enforce_nonce: true,
      });
      expect(post.files[0]?.bytes.equals(world.kie.video)).toBe(true);
    });

    it('links a video larger than the upload limit and says why', async () => {
      const world = await createWorld(store, {
        script: { steps: [], outcome: { kind: 'success', videoBytes: 11 * MIB } },
      });
      await world.startBot();
      const interaction = world.animate();
      const edit = await world.discord.waitForRest(
        (e) =>
          isWebhookEdit(e) && /ready/.test(JSON.stringify(e.json)) && e.route.includes(interaction.token),
        20_000,
      );
      const content = (edit.json as { content: string }).content;
      expect(edit.files).toHaveLength(0);
      expect(content).toMatch(/http:\/\/127\.0\.0\.1:\d+\/results\/\S+\.mp4/);
      expect(content).toContain('11.0 MB');
      expect(content).toContain('10.0 MB');
    });

    it('shows the reason when Kie fails the job', async () => {
      const world = await createWorld(store, {
        script: {
          steps: [],
          outcome: { kind: 'fail', failCode: '400', failMsg: 'The image contains a real person' },
        },
      });
      await world.startBot();
      const interaction = world.animate();
      const edit = await world.discord.waitForRest(
        (e) =>
          isWebhookEdit(e) &&
          /real person/.test(JSON.stringify(e.json)) &&
          e.route.includes(interaction.token),
        20_000,
      );
      expect((edit.json as { content: string }).content).toContain(
        'content policy: The image contains a real person',
      );
    });

    it('refuses bad input with a specific message each, without any Kie call', async () => {
      const world = await createWorld(store);
      await world.startBot();
      const gif = world.animate({ image: { name: 'a.gif', type: 'image/gif', bytes: makeGif() } });
      expect(await refusal(world, gif)).toBe(
        'That file is image/gif. Please attach a JPEG, PNG, WEBP image.',
      );

      const big = makePng(64, 64, { padToBytes: 11 * MIB });
      const huge = world.animate({ image: { name: 'big.png', type: 'image/png', bytes: big } });
      expect(await refusal(world, huge)).toBe(
        'That image is 11.0 MB; the limit is 10.0 MB. Please attach a smaller one.',
      );

      const blank = world.animate({ prompt: '   ' });
      expect(await refusal(world, blank)).toBe('Please describe the motion you want: the prompt is empty.');

      const lying = world.animate({
        image: { name: 'x.png', type: 'image/png', bytes: Buffer.from('not an image at all') },
      });
      expect(await refusal(world, lying)).toContain('its content is not an image the model accepts');

      const chinese = world.animate({ prompt: '', locale: 'zh-CN' });
      expect(await refusal(world, chinese)).toBe('请描述你想要的动作：提示词为空。');

      expect(world.kie.count('createTask')).toBe(0);
      expect(world.kie.count('file-stream-upload')).toBe(0);
    });

    it('tells the member that an admin must add a Kie key first', async () => {
      const world = await createWorld(store, {}, { withKey: false });
      await world.startBot();
      const interaction = world.animate();
      expect(await refusal(world, interaction)).toContain('/animate-setup key');
      expect(world.kie.requests).toHaveLength(0);
    });

    it('refuses at once, naming what is missing, in a channel where the bot could not deliver later', async () => {
      const world = await createWorld(store);
      await world.startBot();
      // @everyone may view and send, but a channel overwrite denies the bot Attach Files and Embed Links.
      const viewAndSend = (1n << 10n) | (1n << 11n);
      const interaction = world.animate({ appPermissions: viewAndSend });
      // Told before the defer, privately: an ephemeral reply (type 4, flags 64).
      const answer = await world.discord.waitForRest(
        (e) => e.method === 'POST' && e.route.includes(`/interactions/${interaction.id}/`),
      );
      const { type, data } = answer.json as { type: number; data: { content: string; flags: number } };
      expect([type, data.flags & 64]).toEqual([4, 64]);
      const text = data.content;
      expect(text).toContain('Attach Files');
      expect(text).toContain('Embed Links');
      expect(text).not.toContain('Send Messages');
      // Nothing spent, nothing fetched: no upload, no createTask, the image never downloaded.
      expect([world.kie.count('file-stream-upload'), world.kie.count('createTask')]).toEqual([0, 0]);
      expect(world.discord.log.filter((entry) => entry.route.includes('/cdn/'))).toHaveLength(0);
    });
  });
}
