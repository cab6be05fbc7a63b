import { animateCommand } from './animate.js';
import { animateJobsCommand } from './animate-jobs.js';
import { animateMessageCommand } from './animate-message.js';
import { animateQuotaCommand } from './animate-quota.js';
import { animateSetupCommand } from './animate-setup.js';
import type { Command, ComponentHandler, MessageCommand } from './command.js';

/** The one list of commands, used by the bot and by src/cli/deploy-commands.ts. */
export const commands: readonly (Command | MessageCommand)[] = [
  animateCommand,
  animateSetupCommand,
  animateJobsCommand,
  animateQuotaCommand,
  animateMessageCommand,
];

/** Slash commands by name. */
export const commandsByName: ReadonlyMap<string, Command> = new Map(
  commands.flatMap((command) => ('execute' in command ? [[command.data.name, command] as const] : [])),
);

/** Message context-menu commands by name (Discord keeps their names apart from slash commands'). */
export const messageCommandsByName: ReadonlyMap<string, MessageCommand> = new Map(
  commands.flatMap((command) =>
    'executeOnMessage' in command ? [[command.data.name, command] as const] : [],
  ),
);

export const componentsByPrefix: ReadonlyMap<string, ComponentHandler> = new Map(
  commands.flatMap((command) => command.components ?? []).map((handler) => [handler.prefix, handler]),
);

/** The handler for a custom id `prefix:…`, if any. */
export function componentHandlerFor(customId: string): ComponentHandler | undefined {
  return componentsByPrefix.get(customId.split(':', 1)[0] ?? '');
}
