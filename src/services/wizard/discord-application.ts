import { DiscordAPIError, REST } from '@discordjs/rest';
import { type RESTPostAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import { z } from 'zod';

const userSchema = z.object({ id: z.string(), username: z.string() });
const applicationSchema = z.object({ id: z.string(), name: z.string() });
const registeredSchema = z.array(z.object({ name: z.string() }));

export type BotIdentity = {
  user: z.infer<typeof userSchema>;
  application: z.infer<typeof applicationSchema>;
};

/** A REST client for one token; few retries, since a person is waiting. */
function restFor(apiUrl: string, token: string): REST {
  return new REST({ api: apiUrl, retries: 1, timeout: 15_000 }).setToken(token);
}

/**
 * Asks Discord who the token belongs to (`GET /users/@me`, `GET /applications/@me`).
 * Resolves `undefined` when Discord answers 401 (a wrong or reset token); other failures throw.
 */
export async function identifyBot(apiUrl: string, token: string): Promise<BotIdentity | undefined> {
  const rest = restFor(apiUrl, token);
  try {
    const user = userSchema.parse(await rest.get(Routes.user()));
    const application = applicationSchema.parse(await rest.get(Routes.currentApplication()));
    return { user, application };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) return undefined;
    throw error;
  }
}

export interface DeployOptions {
  apiUrl: string;
  token: string;
  commands: readonly RESTPostAPIApplicationCommandsJSONBody[];
  /** Registers in one server (instant) instead of globally. */
  guildId?: string;
}

/** Replaces the application's slash commands with `commands` (one bulk PUT). */
export async function deployCommands(
  options: DeployOptions,
): Promise<{ application: z.infer<typeof applicationSchema>; registered: string[] }> {
  const rest = restFor(options.apiUrl, options.token);
  const application = applicationSchema.parse(await rest.get(Routes.currentApplication()));
  const route = options.guildId
    ? Routes.applicationGuildCommands(application.id, options.guildId)
    : Routes.applicationCommands(application.id);
  const registered = registeredSchema.parse(await rest.put(route, { body: options.commands }));
  return { application, registered: registered.map((command) => command.name) };
}
