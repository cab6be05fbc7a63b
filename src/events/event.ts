import type { ClientEvents } from 'discord.js';
import type { BotContext } from '../services/bot-context.js';

/** A client event handler with the context passed in; types come from discord.js's event map. */
export interface Event<K extends keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(context: BotContext, ...args: ClientEvents[K]): Promise<void>;
}
