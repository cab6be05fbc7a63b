import path from 'node:path';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { configSchema } from '../config.js';
import { runWizard } from './run-wizard.js';

export const MISSING_TOKEN_MESSAGE =
  'DISCORD_TOKEN is not set. Run `npm start` in a terminal for guided setup, or copy .env.example to .env and fill in DISCORD_TOKEN.';

export interface EnsureTokenOptions {
  /** The bot's command list, registered once the token is known. */
  commands: readonly { data: RESTPostAPIApplicationCommandsJSONBody }[];
  /** Default: the process's own streams. */
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

/**
 * Makes sure `env` has a DISCORD_TOKEN before the config is parsed. Set already (from .env or the
 * environment, as in Docker): nothing happens. Missing in a terminal: the first-start setup runs,
 * writes `.env` and fills `env` with what it wrote. Missing without a terminal, or under CI: one
 * line on stderr. Resolves false when the bot cannot start.
 */
export async function ensureDiscordToken(
  env: NodeJS.ProcessEnv,
  options: EnsureTokenOptions,
): Promise<boolean> {
  if (env.DISCORD_TOKEN) return true;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  if (!input.isTTY || !output.isTTY || ci) {
    console.error(MISSING_TOKEN_MESSAGE);
    return false;
  }
  const apiUrl = configSchema.shape.DISCORD_API_URL.safeParse(env.DISCORD_API_URL || undefined);
  if (!apiUrl.success) {
    console.error(`Configuration error: DISCORD_API_URL is invalid (${apiUrl.error.issues[0]?.message})`);
    return false;
  }
  try {
    return await runWizard({
      env,
      apiUrl: apiUrl.data,
      commands: options.commands.map((command) => command.data),
      envFile: path.resolve('.env'),
      input,
      output,
    });
  } catch (error) {
    console.error(`Setup failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
