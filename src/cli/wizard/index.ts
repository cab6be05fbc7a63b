import path from 'node:path';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { configSchema } from '../../app/config.js';
import type { WizardOutcome } from './run-wizard.js';

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
 * environment, as in Docker): `ready` at once. Missing in a terminal: the first-start setup runs,
 * writes `.env` and fills `env` with what it wrote. Missing without a terminal, or under CI: one
 * line on stderr and `failed`. `stopped`: the person pressed Ctrl-C (or said no to trying again).
 */
export async function ensureDiscordToken(
  env: NodeJS.ProcessEnv,
  options: EnsureTokenOptions,
): Promise<WizardOutcome> {
  if (env.DISCORD_TOKEN) return 'ready';
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  if (!input.isTTY || !output.isTTY || ci) {
    console.error(MISSING_TOKEN_MESSAGE);
    return 'failed';
  }
  // The two settings the setup itself uses, read before the rest of the config exists.
  const apiUrl = configSchema.shape.DISCORD_API_URL.safeParse(env.DISCORD_API_URL || undefined);
  const timeoutMs = configSchema.shape.DISCORD_CONNECT_TIMEOUT_MS.safeParse(
    env.DISCORD_CONNECT_TIMEOUT_MS || undefined,
  );
  if (!apiUrl.success || !timeoutMs.success) {
    const name = apiUrl.success ? 'DISCORD_CONNECT_TIMEOUT_MS' : 'DISCORD_API_URL';
    const issue = (apiUrl.error ?? timeoutMs.error)?.issues[0]?.message;
    console.error(`Configuration error: ${name} is invalid (${issue})`);
    return 'failed';
  }
  try {
    // Loaded only for a first start: a configured bot never reads the prompts library.
    const { runWizard } = await import('./run-wizard.js');
    return await runWizard({
      env,
      apiUrl: apiUrl.data,
      timeoutMs: timeoutMs.data,
      commands: options.commands.map((command) => command.data),
      envFile: path.resolve('.env'),
      input,
      output,
    });
  } catch (error) {
    console.error(`Setup failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}
