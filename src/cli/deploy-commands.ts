// Registers the bot's command list over REST: `npm run deploy-commands [-- --guild <id>]`.
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../app/config.js';
import { commands } from '../commands/index.js';
import { deployCommands } from './wizard/discord-application.js';

async function deploy(): Promise<void> {
  const { values } = parseArgs({ options: { guild: { type: 'string' } } });
  const guildId = z
    .string()
    .regex(/^\d{15,21}$/, '--guild takes a server id (a number)')
    .optional()
    .parse(values.guild);
  const config = parseConfig(process.env);
  const { application, registered } = await deployCommands({
    apiUrl: config.DISCORD_API_URL,
    token: config.DISCORD_TOKEN,
    commands: commands.map((command) => command.data),
    ...(guildId ? { guildId } : {}),
  });
  console.log(
    `Registered ${registered.length} command(s) for ${application.name} ${guildId ? `in server ${guildId}` : 'globally'}: ${registered.map((name) => `/${name}`).join(', ')}`,
  );
}

deploy().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError || error instanceof z.ZodError
      ? error.message
      : `Deploy failed: ${String(error)}`,
  );
  process.exitCode = 1;
});
