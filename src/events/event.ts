import type { ClientEvents } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';

/** A client event handler with the context passed in; types come from discord.js's event map. */
export interface Event<K extends keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(context: BotContext, ...args: ClientEvents[K]): Promise<void>;
}

/** Any one of the client's events: what a list of events holds. */
export type AnyEvent = { [K in keyof ClientEvents]: Event<K> }[keyof ClientEvents];
