import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { cancel, confirm, intro, isCancel, log, outro, password, spinner } from '@clack/prompts';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import {
  classifyDiscordFailure,
  DEVELOPER_PORTAL_URL,
  describeDiscordFailure,
  isPassing,
} from '../../services/discord/connection-failure.js';
import { type BotIdentity, deployCommands, identifyBot } from './discord-application.js';
import { createEncryptionKey, writeEnvFile } from './env-file.js';
import { inviteUrl } from './invite-url.js';

const TOKEN_TRIES = 3;
/** What Ctrl-C says at every step: `.env` is written last, so nothing is ever half-done. */
export const SETUP_STOPPED = 'Setup stopped; nothing was written.';

/** `ready`: `.env` written, start the bot; `stopped`: the person stopped it; `failed`: it cannot go on. */
export type WizardOutcome = 'ready' | 'stopped' | 'failed';

export interface WizardOptions {
  /** The environment after dotenv; the values written to `.env` are set in it too. */
  env: NodeJS.ProcessEnv;
  /** Discord REST base, as the bot would use it. */
  apiUrl: string;
  /** How long one call to Discord may take (DISCORD_CONNECT_TIMEOUT_MS). */
  timeoutMs: number;
  commands: readonly RESTPostAPIApplicationCommandsJSONBody[];
  /** Where `.env` goes: the working folder, where dotenv looks for it. */
  envFile: string;
  input: Readable;
  output: Writable;
}

/**
 * Asks for the bot token, checks it, registers the commands, writes `.env` (last, so that
 * stopping at any step leaves nothing behind), prints the invite link.
 */
export async function runWizard(options: WizardOptions): Promise<WizardOutcome> {
  const { input, output } = options;
  const io = { input, output };
  intro('Animate bot: first start', io);
  log.message(
    [
      'The bot needs its Discord bot token, and this setup writes it to .env for you.',
      `Get it at ${DEVELOPER_PORTAL_URL} → your app → Bot → Reset Token, then paste it here.`,
    ].join('\n'),
    io,
  );

  const found = await askForToken(options);
  if (typeof found === 'string') return found;
  const { token, identity } = found;

  const registering = stoppable(options);
  registering.progress.start('Registering the slash commands');
  try {
    const { registered } = await deployCommands({
      apiUrl: options.apiUrl,
      token,
      commands: options.commands,
      timeoutMs: options.timeoutMs,
      retries: 0,
      signal: registering.signal,
    });
    registering.progress.stop(`Registered ${registered.map((name) => `/${name}`).join(', ')}`);
  } catch (error) {
    if (registering.signal.aborted) return 'stopped';
    // Not fatal: the bot registers them again when it connects.
    registering.progress.error(
      `Could not register the commands (${describeFailure(error, options)}); the bot retries when it starts.`,
    );
  }

  const values: Record<string, string> = { DISCORD_TOKEN: token };
  const encryptionKey = await createEncryptionKey(options.env);
  if (encryptionKey) values.ENCRYPTION_KEY = encryptionKey;
  await writeEnvFile(options.envFile, values);
  Object.assign(options.env, values);
  log.success(
    `Wrote ${path.basename(options.envFile)} (readable by you only)${encryptionKey ? ' with a new ENCRYPTION_KEY: back it up, it seals every server’s Kie key' : ''}.`,
    io,
  );

  log.step(`Invite ${identity.user.username} to your server with this link:`, io);
  // Written raw: a prompt library would wrap the long link and break copying it.
  output.write(`\n${inviteUrl(identity.application.id)}\n\n`);
  outro('Setup done. Starting the bot…', io);
  return 'ready';
}

async function askForToken(
  options: WizardOptions,
): Promise<{ token: string; identity: BotIdentity } | Exclude<WizardOutcome, 'ready'>> {
  const io = { input: options.input, output: options.output };
  let wrong = 0;
  let token: string | undefined;
  for (;;) {
    if (token === undefined) {
      const answer = await password({
        ...io,
        message: 'Bot token',
        validate: (value) => (value?.trim() ? undefined : 'Paste the token, or press Ctrl+C to stop.'),
      });
      if (isCancel(answer)) return stop(options);
      token = answer.trim().replace(/^Bot\s+/i, '');
    }
    const checking = stoppable(options);
    checking.progress.start('Checking the token with Discord');
    let identity: BotIdentity | undefined;
    try {
      identity = await identifyBot(options.apiUrl, token, {
        timeoutMs: options.timeoutMs,
        retries: 0,
        signal: checking.signal,
      });
    } catch (error) {
      if (checking.signal.aborted) return 'stopped';
      const failure = classifyDiscordFailure(error);
      if (!failure) throw error;
      checking.progress.error(
        `${capitalize(describeDiscordFailure(failure, options.apiUrl, options.timeoutMs))}.`,
      );
      if (!isPassing(failure)) {
        log.error('Check DISCORD_API_URL, then run npm start again. Nothing was written.', io);
        return 'failed';
      }
      // The same token again: the network may be back; pasting it twice would only annoy.
      const again = await confirm({ ...io, message: 'Try again?', active: 'Yes', inactive: 'No, stop' });
      if (isCancel(again) || !again) return stop(options);
      continue;
    }
    if (identity) {
      checking.progress.stop(
        `Token accepted: bot ${identity.user.username}, application ${identity.application.name}`,
      );
      return { token, identity };
    }
    wrong++;
    token = undefined;
    checking.progress.error(
      wrong < TOKEN_TRIES
        ? 'Discord says this token is wrong. Copy it again from the Bot tab (Reset Token makes a new one).'
        : 'Discord says this token is wrong.',
    );
    if (wrong >= TOKEN_TRIES) {
      log.error(
        `${TOKEN_TRIES} wrong tokens; nothing was written. Run npm start again with the right one.`,
        io,
      );
      return 'failed';
    }
  }
}

function stop(options: WizardOptions): 'stopped' {
  cancel(SETUP_STOPPED, { input: options.input, output: options.output });
  return 'stopped';
}

/**
 * A spinner that Ctrl-C stops the way a prompt does: the same line, nothing written. (The
 * spinner reads keys raw and ends the process on Ctrl-C itself, printing `cancelMessage`; a
 * SIGINT from elsewhere aborts `signal` instead, so the step ends and the setup returns.)
 */
function stoppable(options: WizardOptions): { progress: ReturnType<typeof spinner>; signal: AbortSignal } {
  const controller = new AbortController();
  const progress = spinner({
    output: options.output,
    cancelMessage: SETUP_STOPPED,
    onCancel: () => controller.abort(),
  });
  return { progress, signal: controller.signal };
}

/** A short reason for a failed request; never the request itself, which carries the token. */
function describeFailure(error: unknown, options: WizardOptions): string {
  const failure = classifyDiscordFailure(error);
  if (failure) return describeDiscordFailure(failure, options.apiUrl, options.timeoutMs);
  return error instanceof Error ? error.name : 'unknown error';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
