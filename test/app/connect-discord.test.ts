import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectToDiscord,
  type DiscordTarget,
  reachDiscord,
  StartupError,
} from '../../src/app/connect-discord.js';
import { createLogger } from '../../src/app/logger.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A Discord REST base on 127.0.0.1 that answers each request with the next of `answers` (the last repeats). */
async function discordAnswering(
  answers: Array<{ status: number; body: string; type?: string }>,
): Promise<{ api: string; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    res
      .writeHead(answer?.status ?? 500, { 'content-type': answer?.type ?? 'application/json' })
      .end(answer?.body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, requests };
}

const GATEWAY = JSON.stringify({
  url: 'wss://gateway.example',
  shards: 2,
  session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
});

function target(api: string, more: Partial<DiscordTarget> = {}): DiscordTarget {
  return { apiUrl: api, token: 'a-token', timeoutMs: 1_000, attempts: 3, retryMs: 10, ...more };
}

function recordingLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: Array<{ level: number; msg: string }>;
} {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('reachDiscord', () => {
  it('tries again after a 5xx, says so, and resolves with the gateway Discord names', async () => {
    const discord = await discordAnswering([
      { status: 503, body: '{}' },
      { status: 200, body: GATEWAY },
    ]);
    const { logger, lines } = recordingLogger();
    await expect(reachDiscord(target(discord.api), logger)).resolves.toEqual({
      url: 'wss://gateway.example',
      shards: 2,
    });
    expect(discord.requests).toEqual(['GET /api/v10/gateway/bot', 'GET /api/v10/gateway/bot']);
    expect(lines.map((line) => line.msg)).toEqual([
      "Discord answered 503 (trouble on Discord's side, see https://discordstatus.com); trying again in 10 ms (attempt 2 of 3)",
    ]);
  });

  it('stops at once, in one line, on an address that is not Discord’s API (an HTML 404)', async () => {
    const discord = await discordAnswering([{ status: 404, body: '<html>nope</html>', type: 'text/html' }]);
    const { logger, lines } = recordingLogger();
    const failure = reachDiscord(target(discord.api), logger);
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(
      `${discord.api} did not answer like Discord's API (HTTP 404): check DISCORD_API_URL (Discord’s is https://discord.com/api, without /v10)`,
    );
    expect(discord.requests).toHaveLength(1);
    expect(lines).toEqual([]);
  });

  it('stops at once on a 200 that is not a gateway answer', async () => {
    const discord = await discordAnswering([{ status: 200, body: '{"hello":"proxy"}' }]);
    await expect(reachDiscord(target(discord.api), recordingLogger().logger)).rejects.toThrow(
      /did not answer like Discord's API: check DISCORD_API_URL/,
    );
    expect(discord.requests).toHaveLength(1);
  });

  it('gives up waiting at once when stopped, with the abort, not a StartupError', async () => {
    const discord = await discordAnswering([{ status: 503, body: '{}' }]);
    const stop = new AbortController();
    const { logger } = recordingLogger();
    const reaching = reachDiscord(target(discord.api, { retryMs: 60_000 }), logger, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop.abort();
    await expect(reaching).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('connectToDiscord', () => {
  it('says a gateway that never lets the login finish, in one line with the time it waited', async () => {
    const discord = await discordAnswering([{ status: 200, body: GATEWAY }]);
    const { logger, lines } = recordingLogger();
    await expect(
      connectToDiscord({
        target: target(discord.api, { timeoutMs: 200 }),
        logger,
        login: () => new Promise(() => {}),
      }),
    ).rejects.toThrow(
      // Two shards: the second may IDENTIFY 5 s after the first.
      "no answer from Discord's gateway (wss://gateway.example) in 5.2 s: check that a firewall or proxy lets WebSocket (wss) connections through",
    );
    expect(lines.map((line) => line.msg)).toEqual(['connecting to Discord…']);
  }, 10_000);

  it('says a token the gateway refuses like one REST refuses', async () => {
    const discord = await discordAnswering([{ status: 200, body: GATEWAY }]);
    const refused = Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' });
    await expect(
      connectToDiscord({
        target: target(discord.api),
        logger: recordingLogger().logger,
        login: () => Promise.reject(refused),
      }),
    ).rejects.toThrow(/^Discord refused the bot token \(401\): check DISCORD_TOKEN in \.env/);
  });

  it('lets a bug through as it is, stack and all', async () => {
    const discord = await discordAnswering([{ status: 200, body: GATEWAY }]);
    const bug = new TypeError('cannot read properties of undefined');
    await expect(
      connectToDiscord({
        target: target(discord.api),
        logger: recordingLogger().logger,
        login: () => Promise.reject(bug),
      }),
    ).rejects.toBe(bug);
  });
});
