import { animateCommand } from './animate.js';
import type { Command } from './command.js';

/** The one list of commands, used by the bot and by scripts/deploy-commands.ts. */
export const commands: readonly Command[] = [animateCommand];

export const commandsByName: ReadonlyMap<string, Command> = new Map(
  commands.map((command) => [command.data.name, command]),
);
