import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../app/bot-context.js';

/** A slash command: its registration data and its handler. The handler may throw; the dispatcher answers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
  /** The buttons and modals this command's replies carry. */
  components?: readonly ComponentHandler[];
}

/** A message context-menu command (Apps → name on a message): its registration data and handler. */
export interface MessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  executeOnMessage(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void>;
  /** The buttons and modals this command's replies carry. */
  components?: readonly ComponentHandler[];
}

/**
 * Handles buttons, menus and modals whose custom id starts with `${prefix}:` (or is exactly the
 * prefix). Custom ids carry what is needed after a restart; everything else is read from the store.
 */
export interface ComponentHandler {
  prefix: string;
  execute(
    interaction: MessageComponentInteraction | ModalSubmitInteraction,
    context: BotContext,
  ): Promise<void>;
}
