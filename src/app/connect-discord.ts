import { setTimeout as sleep } from 'node:timers/promises';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { z } from 'zod';
import {
  classifyDiscordFailure,
  DEVELOPER_PORTAL_URL,
  type DiscordFailure,
  describeDiscordFailure,
  displayUrl,
  formatDuration,
  isPassing,
} from '../services/discord/connection-failure.js';
import { settledWithin } from '../services/settled-within.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** The longest wait between two tries, however many there are. */
const MAX_RETRY_WAIT_MS = 60_000;
/** Discord lets a bot IDENTIFY one shard per 5 s (max_concurrency 1): a process of N shards needs that much more. */
const IDENTIFY_SPACING_MS = 5_000;

/**
 * An expected reason the bot cannot start (Discord unreachable, a refused token, Redis down):
 * its message is the one line the operator reads, so it is logged without a stack.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Where and how patiently start-up reaches Discord (DISCORD_CONNECT_* in the config). */
export interface DiscordTarget {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  attempts: number;
  retryMs: number;
}

export function discordTargetOf(config: Config): DiscordTarget {
  return {
    apiUrl: config.DISCORD_API_URL,
    token: config.DISCORD_TOKEN,
    timeoutMs: config.DISCORD_CONNECT_TIMEOUT_MS,
    attempts: config.DISCORD_CONNECT_ATTEMPTS,
    retryMs: config.DISCORD_CONNECT_RETRY_MS,
  };
}

const gatewayBotSchema = z.object({ url: z.string().min(1), shards: z.number().int().positive() });
/** Discord's `GET /gateway/bot`: the gateway's address and the shard count it recommends. */
export type GatewayBot = z.infer<typeof gatewayBotSchema>;

/**
 * Asks Discord for its gateway (`GET /gateway/bot`) until it answers. A network failure, a
 * silence or a 5xx is tried again after a doubling wait, each said in one warning; a refused
 * token or an answer that is not Discord's stops at once. Throws a StartupError with the line to
 * show, or what `signal` aborted with, or (a bug) the error itself.
 */
export async function reachDiscord(
  target: DiscordTarget,
  logger: Logger,
  signal?: AbortSignal,
): Promise<GatewayBot> {
  // Its own client, without retries: one try is one request with one timeout. It shares the
  // connection pool with discord.js's REST client (undici's global one), so the login that follows
  // usually finds the connection open (measured: a second client reuses an idle socket).
  const rest = new REST({ api: target.apiUrl, retries: 0, timeout: target.timeoutMs }).setToken(target.token);
  for (let attempt = 1; ; attempt++) {
    let failure: DiscordFailure;
    try {
      const timeout = AbortSignal.timeout(target.timeoutMs);
      const answer = await rest.get(Routes.gatewayBot(), {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return gatewayBotSchema.parse(answer);
    } catch (error) {
      signal?.throwIfAborted();
      const known = classifyDiscordFailure(error);
      if (!known) throw error;
      failure = known;
    }
    const reason = describeDiscordFailure(failure, target.apiUrl, target.timeoutMs);
    if (!isPassing(failure) || attempt >= target.attempts) {
      throw new StartupError(
        `${reason}${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${adviceFor(failure)}`,
      );
    }
    const waitMs = Math.min(target.retryMs * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS);
    logger.warn(
      `${reason}; trying again in ${formatDuration(waitMs)} (attempt ${attempt + 1} of ${target.attempts})`,
    );
    await sleep(waitMs, undefined, signal ? { signal } : undefined);
  }
}

/**
 * Start-up's connection: says it is connecting, reaches Discord ({@link reachDiscord}), then
 * runs `login` (discord.js's, which opens the gateway) under a timeout of its own, since the
 * client would wait on a silent gateway indefinitely. Throws like reachDiscord.
 */
export async function connectToDiscord(options: {
  target: DiscordTarget;
  logger: Logger;
  login: () => Promise<unknown>;
  signal?: AbortSignal;
}): Promise<void> {
  const { target, logger, signal } = options;
  logger.info({ api: displayUrl(target.apiUrl), timeoutMs: target.timeoutMs }, 'connecting to Discord…');
  const gateway = await reachDiscord(target, logger, signal);
  const loginMs = target.timeoutMs + IDENTIFY_SPACING_MS * (gateway.shards - 1);
  const login = options.login();
  if (!(await settledWithin(login, loginMs))) {
    signal?.throwIfAborted();
    throw new StartupError(
      `no answer from Discord's gateway (${gateway.url}) in ${formatDuration(loginMs)}: ` +
        'check that a firewall or proxy lets WebSocket (wss) connections through',
    );
  }
  try {
    await login;
  } catch (error) {
    signal?.throwIfAborted();
    const failure = classifyDiscordFailure(error);
    if (!failure) throw error;
    const reason = describeDiscordFailure(failure, gateway.url, target.timeoutMs);
    throw new StartupError(`${reason}: ${adviceFor(failure)}`);
  }
}

/** What to check, by kind of failure. */
function adviceFor(failure: DiscordFailure): string {
  switch (failure.kind) {
    case 'token':
      return `check DISCORD_TOKEN in .env, or reset it at ${DEVELOPER_PORTAL_URL} → your app → Bot`;
    case 'network':
    case 'timeout':
      return 'check the internet connection, DNS, a firewall or proxy, and DISCORD_API_URL';
    case 'server':
      return 'Discord is having trouble; start the bot again later';
    case 'answer':
      return 'check DISCORD_API_URL (Discord’s is https://discord.com/api, without /v10)';
  }
}
