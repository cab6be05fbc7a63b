// Registers the bot's command list over REST: `npm run deploy-commands [-- --guild <id>]`.
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { REST } from '@discordjs/rest';
import { type APIApplication, Routes } from 'discord.js';
import { z } from 'zod';
import { commands } from '../src/commands/index.js';
import { ConfigError, parseConfig } from '../src/services/config.js';

const applicationSchema = z.object({ id: z.string(), name: z.string() });

async function deploy(): Promise<void> {
  const { values } = parseArgs({ options: { guild: { type: 'string' } } });
  const guildId = z
    .string()
    .regex(/^\d{15,21}$/, '--guild takes a server id (a number)')
    .optional()
    .parse(values.guild);
  const config = parseConfig(process.env);
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const application = applicationSchema.parse(
    (await rest.get(Routes.currentApplication())) as APIApplication,
  );
  const body = commands.map((command) => command.data);
  const route = guildId
    ? Routes.applicationGuildCommands(application.id, guildId)
    : Routes.applicationCommands(application.id);
  const registered = z.array(z.object({ name: z.string() })).parse(await rest.put(route, { body }));
  console.log(
    `Registered ${registered.length} command(s) for ${application.name} ${guildId ? `in server ${guildId}` : 'globally'}: ${registered.map((c) => `/${c.name}`).join(', ')}`,
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
