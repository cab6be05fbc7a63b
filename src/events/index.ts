import type { AnyEvent } from './event.js';
import { interactionCreateEvent } from './interaction-create.js';
import { readyEvent } from './ready.js';

/** Every event the bot listens to, registered by the composition root (like the commands list). */
export const events: readonly AnyEvent[] = [readyEvent, interactionCreateEvent];
