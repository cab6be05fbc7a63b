import type { Logger } from 'pino';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';
import { addEntries, type BlockReading, findBlocked, parseEntries, removeEntries } from './blocklist.js';

/**
 * What moderation tells the server's admins (the audit log channel listens). Entries and prompts
 * are the server's own words, for its admins; the member who was refused is never shown them.
 */
export type ModerationEvent =
  | {
      kind: 'prompt-refused';
      guildId: string;
      userId: string;
      channelId: string;
      /** The blocklist entry that matched, as the admin wrote it. */
      entry: string;
      reading: BlockReading;
      prompt: string;
    }
  | {
      kind: 'blocklist-changed';
      guildId: string;
      /** The admin who changed it. */
      userId: string;
      action: 'add' | 'remove';
      entries: string[];
      /** Entries on the list after the change. */
      total: number;
    };

/** Where moderation events go; optional, and never allowed to break a command or a refusal. */
export interface ModerationAudit {
  note(event: ModerationEvent): void | Promise<void>;
}

export interface ModerationDeps {
  logger: Logger;
  audit?: ModerationAudit;
}

/** Hands an event to the audit hook; a hook that throws is logged, never passed on. */
export function noteModeration(deps: ModerationDeps, event: ModerationEvent): void {
  if (!deps.audit) return;
  Promise.resolve()
    .then(() => deps.audit?.note(event))
    .catch((error: unknown) =>
      deps.logger.warn({ err: error, guildId: event.guildId, kind: event.kind }, 'audit hook failed'),
    );
}

/**
 * Refuses a prompt that matches the server's blocklist, before anything is downloaded or spent,
 * with a message that does not repeat the word. The refusal is logged (which entry, not the
 * prompt) and handed to the audit hook.
 */
export function refuseIfBlocked(
  deps: ModerationDeps,
  settings: GuildSettings,
  who: { guildId: string; userId: string; channelId: string },
  prompt: string,
): void {
  const match = findBlocked(settings.blocklist, prompt);
  if (!match) return;
  deps.logger.info(
    {
      guildId: who.guildId,
      userId: who.userId,
      entry: settings.blocklist.indexOf(match.entry),
      reading: match.reading,
    },
    'prompt refused by the blocklist',
  );
  // Named one by one: `who` is often a whole request, interaction token included.
  const { guildId, userId, channelId } = who;
  noteModeration(deps, { kind: 'prompt-refused', guildId, userId, channelId, ...match, prompt });
  throw new UserFacingError('moderation.refused');
}

/** The admin side of the blocklist: entries added, removed and listed, each change audited. */
export class Blocklist {
  readonly #settings: SettingsStore;
  readonly #deps: ModerationDeps;

  constructor(settings: SettingsStore, deps: ModerationDeps) {
    this.#settings = settings;
    this.#deps = deps;
  }

  async list(guildId: string): Promise<string[]> {
    return (await this.#settings.get(guildId)).blocklist;
  }

  /** Adds the comma-separated entries of `text`; none is added when one is refused. */
  add(guildId: string, text: string, by: string) {
    return this.#change(guildId, by, 'add', text);
  }

  remove(guildId: string, text: string, by: string) {
    return this.#change(guildId, by, 'remove', text);
  }

  async #change(guildId: string, by: string, action: 'add' | 'remove', text: string) {
    const wanted = parseEntries(text);
    if (wanted.length === 0) throw new UserFacingError('blocklist.empty');
    let result = { changed: [] as string[], unchanged: [] as string[], total: 0 };
    await this.#settings.update(guildId, (current) => {
      const change =
        action === 'add' ? addEntries(current.blocklist, wanted) : removeEntries(current.blocklist, wanted);
      result = { changed: change.changed, unchanged: change.unchanged, total: change.next.length };
      return { ...current, blocklist: change.next };
    });
    if (result.changed.length > 0) {
      this.#deps.logger.info(
        { guildId, by, action, entries: result.changed.length, total: result.total },
        'blocklist changed',
      );
      noteModeration(this.#deps, {
        kind: 'blocklist-changed',
        guildId,
        userId: by,
        action,
        entries: result.changed,
        total: result.total,
      });
    }
    return result;
  }
}
