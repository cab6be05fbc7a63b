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

/** How a person-facing call waits: `timeoutMs` per request (default 15 s), `retries` (default 1), `signal` to give up. */
export interface CallOptions {
  timeoutMs?: number;
  retries?: number;
  signal?: AbortSignal;
}

/** A REST client for one token; few retries, since a person is waiting. */
function restFor(apiUrl: string, token: string, call: CallOptions): REST {
  return new REST({ api: apiUrl, retries: call.retries ?? 1, timeout: call.timeoutMs ?? 15_000 }).setToken(
    token,
  );
}

/**
 * Asks Discord who the token belongs to (`GET /users/@me`, `GET /applications/@me`).
 * Resolves `undefined` when Discord answers 401 (a wrong or reset token); other failures throw.
 */
export async function identifyBot(
  apiUrl: string,
  token: string,
  call: CallOptions = {},
): Promise<BotIdentity | undefined> {
  const rest = restFor(apiUrl, token, call);
  const request = call.signal ? { signal: call.signal } : {};
  try {
    const user = userSchema.parse(await rest.get(Routes.user(), request));
    const application = applicationSchema.parse(await rest.get(Routes.currentApplication(), request));
    return { user, application };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) return undefined;
    throw error;
  }
}

export interface DeployOptions extends CallOptions {
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
  const rest = restFor(options.apiUrl, options.token, options);
  const request = options.signal ? { signal: options.signal } : {};
  const application = applicationSchema.parse(await rest.get(Routes.currentApplication(), request));
  const route = options.guildId
    ? Routes.applicationGuildCommands(application.id, options.guildId)
    : Routes.applicationCommands(application.id);
  const registered = registeredSchema.parse(await rest.put(route, { body: options.commands, ...request }));
  return { application, registered: registered.map((command) => command.name) };
}
