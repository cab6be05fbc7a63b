import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskOutcome } from '../support/kie/types.js';
import { createWorld, type World } from './harness.js';

const SECRET = 'internal-admin-page: db password hunter2';

const isWebhookEdit = (e: { method: string; route: string }) =>
  e.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(e.route);

let secretServer: Server | undefined;

afterEach(async () => {
  secretServer?.closeAllConnections();
  await new Promise((resolve) => secretServer?.close(resolve) ?? resolve(undefined));
  secretServer = undefined;
});

/** A service on this host that answers anyone with its secret: the bot must never reach it. */
async function startSecretService(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  secretServer = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(SECRET));
  secretServer.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => secretServer?.listen(0, '127.0.0.1', resolve));
  return { port: (secretServer.address() as AddressInfo).port, connections: () => connections };
}

/** Kie's recordInfo gives the stand-in's own result URL (a configured origin), answered as `answer`. */
function finishWith(world: World, answer: Extract<TaskOutcome, { kind: 'success' }>['resultAnswer']) {
  world.kie.setScript({
    steps: [{ state: 'generating', ms: 50 }],
    outcome: { kind: 'success', resultAnswer: answer },
  });
}

/** Nothing the bot sent to Discord carries a file or the secret. */
function expectNothingLeaked(world: World) {
  expect(world.discord.log.filter((e) => e.files.length > 0)).toEqual([]);
  expect(JSON.stringify(world.discord.log.map((e) => e.json))).not.toContain('hunter2');
}

describe('media safety end to end', () => {
  it.each([
    [
      'an http redirect to another port of 127.0.0.1',
      'http',
      'redirect 1: http:// is not allowed (https only)',
    ],
    ['an https redirect to localhost', 'https', 'localhost resolves to'],
  ])(
    'a result URL that answers with %s fails the job with a clear reason and posts nothing of it',
    async (_, scheme, reason) => {
      const secret = await startSecretService();
      const world = await createWorld('sqlite');
      const host = scheme === 'http' ? '127.0.0.1' : 'localhost';
      finishWith(world, { status: 302, headers: { location: `${scheme}://${host}:${secret.port}/admin` } });
      await world.startBot();
      const interaction = world.animate();

      const failed = await world.discord.waitForRest(
        (e) =>
          isWebhookEdit(e) &&
          e.route.includes(interaction.token) &&
          String((e.json as { content?: string }).content).includes('could not be downloaded'),
        30_000,
      );
      const content = (failed.json as { content?: string }).content ?? '';
      expect(content).toContain(`<@${interaction.userId}>`);
      expect(content).toContain(reason);
      expect(world.discord.original(interaction)?.attachments ?? []).toHaveLength(0);
      expectNothingLeaked(world);
      expect(secret.connections()).toBe(0);
      // Refused once is refused for good: no second try at the same URL.
      expect(world.kie.requests.filter((r) => r.route === 'result')).toHaveLength(1);
      world.discord.assertNoViolations();
    },
  );

  it('an HTML page served with status 200 at the result URL is never attached as the video', async () => {
    const world = await createWorld('sqlite');
    finishWith(world, {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><title>Sign in</title><p>${SECRET}</p>`,
    });
    await world.startBot();
    world.animate();

    const failure = await world.bot.waitForMessage('video download failed; will try again', 30_000);
    expect(failure.err).toMatchObject({ message: 'not an MP4 video, served as text/html' });
    expectNothingLeaked(world);
    world.discord.assertNoViolations();
  });
});
