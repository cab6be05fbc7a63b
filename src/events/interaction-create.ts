import { Events, type Interaction } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { commandsByName, componentHandlerFor, messageCommandsByName } from '../commands/index.js';
import { respondWithError } from '../services/discord/respond-with-error.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { Event } from './event.js';

/** Dispatches interactions to their command; the one place that catches and answers errors. */
export const interactionCreateEvent = {
  name: Events.InteractionCreate,
  async execute(context: BotContext, interaction: Interaction) {
    const log = context.logger.child({
      interactionId: interaction.id,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    });
    try {
      // Said, not ignored: an unanswered command would show "interaction failed".
      if (context.isShuttingDown()) {
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else throw new UserFacingError('error.restarting');
      } else if (interaction.isChatInputCommand()) {
        const command = commandsByName.get(interaction.commandName);
        if (!command) throw new UserFacingError('error.unknownCommand');
        const started = Date.now();
        await command.execute(interaction, context);
        log.info({ command: interaction.commandName, latencyMs: Date.now() - started }, 'command handled');
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = messageCommandsByName.get(interaction.commandName);
        if (!command) throw new UserFacingError('error.unknownCommand');
        await command.executeOnMessage(interaction, context);
        log.info({ command: interaction.commandName }, 'message command handled');
      } else if (interaction.isAutocomplete()) {
        await commandsByName.get(interaction.commandName)?.autocomplete?.(interaction, context);
      } else if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
        const handler = componentHandlerFor(interaction.customId);
        if (!handler) throw new UserFacingError('error.unknownComponent');
        await handler.execute(interaction, context);
        log.info({ component: interaction.customId.split(':', 1)[0] }, 'component handled');
      }
    } catch (error) {
      await respondWithError(interaction, asUserFacing(error), log);
    }
  },
} satisfies Event<Events.InteractionCreate>;

/** discord.js's own complaints about an interaction's shape (forged or stale): told, not logged as faults. */
const malformedInteraction = new Set([
  'CommandInteractionOptionType',
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionEmpty',
  'CommandInteractionOptionNoSubcommand',
  'ModalSubmitInteractionFieldNotFound',
  'ModalSubmitInteractionFieldType',
]);

function asUserFacing(error: unknown): unknown {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && malformedInteraction.has(code)
    ? new UserFacingError('error.badOptions')
    : error;
}
