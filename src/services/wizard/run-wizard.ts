import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { cancel, intro, isCancel, log, outro, password, spinner } from '@clack/prompts';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { type BotIdentity, deployCommands, identifyBot } from './discord-application.js';
import { chooseEncryptionKey, writeEnvFile } from './env-file.js';
import { inviteUrl } from './invite-url.js';

const TOKEN_TRIES = 3;
const PORTAL_URL = 'https://discord.com/developers/applications';

export interface WizardOptions {
  /** The environment after dotenv; the values written to `.env` are set in it too. */
  env: NodeJS.ProcessEnv;
  /** Discord REST base, as the bot would use it. */
  apiUrl: string;
  commands: readonly RESTPostAPIApplicationCommandsJSONBody[];
  /** Where `.env` goes: the working folder, where dotenv looks for it. */
  envFile: string;
  input: Readable;
  output: Writable;
}

/** Asks for the bot token, checks it, writes `.env`, registers the commands, prints the invite link. */
export async function runWizard(options: WizardOptions): Promise<boolean> {
  const { input, output } = options;
  const io = { input, output };
  intro('Animate bot: first start', io);
  log.message(
    [
      'The bot needs its Discord bot token, and this setup writes it to .env for you.',
      `Get it at ${PORTAL_URL} → your app → Bot → Reset Token, then paste it here.`,
    ].join('\n'),
    io,
  );

  const found = await askForToken(options);
  if (!found) return false;
  const { token, identity } = found;

  const values: Record<string, string> = { DISCORD_TOKEN: token };
  const encryptionKey = await chooseEncryptionKey(options.env);
  if (encryptionKey) values.ENCRYPTION_KEY = encryptionKey;
  await writeEnvFile(options.envFile, values, options.env);
  Object.assign(options.env, values);
  log.success(
    `Wrote ${path.basename(options.envFile)} (readable by you only)${encryptionKey ? ' with a new ENCRYPTION_KEY: back it up, it seals every server’s Kie key' : ''}.`,
    io,
  );

  const progress = spinner(io);
  progress.start('Registering the slash commands');
  try {
    const { registered } = await deployCommands({
      apiUrl: options.apiUrl,
      token,
      commands: options.commands,
    });
    progress.stop(`Registered ${registered.map((name) => `/${name}`).join(', ')}`);
  } catch (error) {
    // Not fatal: the bot registers them again when it connects.
    progress.error(
      `Could not register the commands (${describeFailure(error)}); the bot retries when it starts.`,
    );
  }

  log.step(`Invite ${identity.user.username} to your server with this link:`, io);
  // Written raw: a prompt library would wrap the long link and break copying it.
  output.write(`\n${inviteUrl(identity.application.id)}\n\n`);
  outro('Setup done. Starting the bot…', io);
  return true;
}

async function askForToken(
  options: WizardOptions,
): Promise<{ token: string; identity: BotIdentity } | undefined> {
  const io = { input: options.input, output: options.output };
  for (let attempt = 1; attempt <= TOKEN_TRIES; attempt++) {
    const answer = await password({
      ...io,
      message: 'Bot token',
      validate: (value) => (value?.trim() ? undefined : 'Paste the token, or press Ctrl+C to stop.'),
    });
    if (isCancel(answer)) {
      cancel('Setup stopped; nothing was written.', io);
      return undefined;
    }
    const token = answer.trim().replace(/^Bot\s+/i, '');
    const progress = spinner(io);
    progress.start('Checking the token with Discord');
    let identity: BotIdentity | undefined;
    try {
      identity = await identifyBot(options.apiUrl, token);
    } catch (error) {
      progress.error(`Could not reach Discord at ${options.apiUrl} (${describeFailure(error)}).`);
      return undefined;
    }
    if (identity) {
      progress.stop(
        `Token accepted: bot ${identity.user.username}, application ${identity.application.name}`,
      );
      return { token, identity };
    }
    progress.error(
      attempt < TOKEN_TRIES
        ? 'Discord says this token is wrong. Copy it again from the Bot tab (Reset Token makes a new one).'
        : 'Discord says this token is wrong.',
    );
  }
  log.error(`${TOKEN_TRIES} wrong tokens; nothing was written. Run npm start again with the right one.`, io);
  return undefined;
}

/** A short reason for a failed request; never the request itself, which carries the token. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && 'status' in error) return `HTTP ${String(error.status)}`;
  if (error instanceof Error && 'code' in error) return String(error.code);
  return error instanceof Error ? error.name : 'unknown error';
}
