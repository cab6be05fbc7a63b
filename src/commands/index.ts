import { animateCommand } from './animate.js';
import { animateJobsCommand } from './animate-jobs.js';
import { animateQuotaCommand } from './animate-quota.js';
import { animateSetupCommand } from './animate-setup.js';
import type { Command, ComponentHandler } from './command.js';

/** The one list of commands, used by the bot and by src/cli/deploy-commands.ts. */
export const commands: readonly Command[] = [
  animateCommand,
  animateSetupCommand,
  animateJobsCommand,
  animateQuotaCommand,
];

export const commandsByName: ReadonlyMap<string, Command> = new Map(
  commands.map((command) => [command.data.name, command]),
);

export const componentsByPrefix: ReadonlyMap<string, ComponentHandler> = new Map(
  commands.flatMap((command) => command.components ?? []).map((handler) => [handler.prefix, handler]),
);

/** The handler for a custom id `prefix:…`, if any. */
export function componentHandlerFor(customId: string): ComponentHandler | undefined {
  return componentsByPrefix.get(customId.split(':', 1)[0] ?? '');
}
