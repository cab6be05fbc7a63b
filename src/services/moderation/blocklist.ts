import { UserFacingError } from '../user-facing-error.js';
import { joinedReadings, normaliseText, sameClause, type Word, wordsOf } from './normalise.js';

/** Entries a server may hold: every prompt is compared with each, and settings are read per job. */
export const BLOCKLIST_MAX_ENTRIES = 100;
/** Characters per entry: a word or a short phrase. */
export const BLOCKLIST_ENTRY_MAX_LENGTH = 50;

/** Which reading of the prompt matched: its words, letters spelt out, or a word split by punctuation. */
export type BlockReading = 'words' | 'spelt' | 'in-word';

export interface BlockMatch {
  /** The entry as the admin wrote it (for admins and the audit log, never for the member). */
  entry: string;
  reading: BlockReading;
}

interface CompiledEntry {
  entry: string;
  words: string[];
  /** The words run together, compared with words the prompt's joined readings made. */
  joined: string;
  /** A trailing `*`: the last word matches any word it begins. */
  prefix: boolean;
}

function compile(entry: string): CompiledEntry | undefined {
  const trimmed = entry.trim();
  const prefix = trimmed.endsWith('*');
  const words = wordsOf(normaliseText(prefix ? trimmed.slice(0, -1) : trimmed)).map((word) => word.text);
  if (words.length === 0) return undefined;
  return { entry, words, joined: words.join(''), prefix };
}

/** Compiled lists of the servers seen lately: a list is read from settings at every job. */
const cache = new Map<string, CompiledEntry[]>();
const CACHE_MAX = 200;

function compiled(blocklist: readonly string[]): CompiledEntry[] {
  const key = blocklist.join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const entries = blocklist.flatMap((entry) => compile(entry) ?? []);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, entries);
  return entries;
}

const sameWord = (word: string, wanted: string, prefix: boolean) =>
  prefix ? word.startsWith(wanted) : word === wanted;

/** A reading of the prompt, with where each word stands, so an entry is looked up, not scanned for. */
class Reading {
  readonly #at = new Map<string, number[]>();
  /** The words the reading made by joining others. */
  readonly #joined: string[];

  constructor(readonly words: readonly { text: string; gap: string; joined?: boolean }[]) {
    words.forEach((word, index) => {
      const list = this.#at.get(word.text);
      if (list) list.push(index);
      else this.#at.set(word.text, [index]);
    });
    this.#joined = words.filter((word) => word.joined).map((word) => word.text);
  }

  /**
   * Whether the entry's words stand one after the other, with anything between them but the end
   * of a clause or a line; or, `joinedToo`, whether a joined word reads the entry run together.
   */
  holds(entry: CompiledEntry, joinedToo: boolean): boolean {
    const last = entry.words.length - 1;
    const first = entry.words[0] as string;
    // A one-word prefix entry may start any word: the only case that scans.
    const starts =
      entry.prefix && last === 0 ? this.words.map((_, index) => index) : (this.#at.get(first) ?? []);
    const sequence = starts.some((start) =>
      entry.words.every((wanted, offset) => {
        const word = this.words[start + offset];
        return (
          word !== undefined &&
          (offset === 0 || sameClause(word.gap)) &&
          sameWord(word.text, wanted, entry.prefix && offset === last)
        );
      }),
    );
    if (sequence || !joinedToo) return sequence;
    return this.#joined.some((word) => sameWord(word, entry.joined, entry.prefix));
  }
}

/**
 * The first entry the prompt matches, case-insensitively and through look-alike characters:
 * whole words (a trailing `*` also matches longer words), phrases whose words stand in one clause
 * (spaces and punctuation between them, not a comma or a full stop), and words spelt out or split
 * by punctuation ("n.s.f.w", "nu-de").
 * Chinese and Japanese entries match inside words, as those scripts put no spaces between them.
 */
export function findBlocked(blocklist: readonly string[], prompt: string): BlockMatch | undefined {
  if (blocklist.length === 0) return undefined;
  const words: Word[] = wordsOf(normaliseText(prompt));
  const [spelt, inWord] = joinedReadings(words).map((reading) => new Reading(reading));
  const plain = new Reading(words);
  for (const entry of compiled(blocklist)) {
    const raw = entry.entry;
    if (plain.holds(entry, false)) return { entry: raw, reading: 'words' };
    if (spelt?.holds(entry, true)) return { entry: raw, reading: 'spelt' };
    if (inWord?.holds(entry, true)) return { entry: raw, reading: 'in-word' };
  }
  return undefined;
}

/** The entries an admin typed: comma- or line-separated, trimmed, each once. */
export function parseEntries(text: string): string[] {
  const entries = text
    .normalize('NFKC')
    .split(/[,\n]/)
    .map((entry) => entry.trim().replace(/\s+/g, ' '))
    .filter((entry) => entry.length > 0);
  return [...new Set(entries)];
}

/** Two entries are the same when they match the same prompts. */
const keyOf = (entry: string) => {
  const compiled = compile(entry);
  return compiled ? `${compiled.words.join(' ')}${compiled.prefix ? '*' : ''}` : entry;
};

export interface BlocklistChange {
  next: string[];
  /** Entries added or removed. */
  changed: string[];
  /** Entries already there (add) or not there (remove). */
  unchanged: string[];
}

/** Adds entries, refusing by name what cannot be matched or would pass the caps. */
export function addEntries(current: readonly string[], wanted: readonly string[]): BlocklistChange {
  const tooLong = wanted.find((entry) => entry.length > BLOCKLIST_ENTRY_MAX_LENGTH);
  if (tooLong !== undefined)
    throw new UserFacingError('blocklist.tooLong', {
      length: tooLong.length,
      max: BLOCKLIST_ENTRY_MAX_LENGTH,
    });
  const empty = wanted.find((entry) => compile(entry) === undefined);
  if (empty !== undefined) throw new UserFacingError('blocklist.nothingToMatch', { entry: empty });
  const known = new Set(current.map(keyOf));
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const entry of wanted) {
    const key = keyOf(entry);
    if (known.has(key)) unchanged.push(entry);
    else {
      known.add(key);
      changed.push(entry);
    }
  }
  if (current.length + changed.length > BLOCKLIST_MAX_ENTRIES)
    throw new UserFacingError('blocklist.tooMany', {
      max: BLOCKLIST_MAX_ENTRIES,
      count: current.length,
    });
  return { next: [...current, ...changed], changed, unchanged };
}

/** Removes entries, whichever way they were written (case, accents, look-alikes). */
export function removeEntries(current: readonly string[], wanted: readonly string[]): BlocklistChange {
  const keys = new Set(wanted.map(keyOf));
  const next = current.filter((entry) => !keys.has(keyOf(entry)));
  const changed = current.filter((entry) => keys.has(keyOf(entry)));
  const removedKeys = new Set(changed.map(keyOf));
  const unchanged = wanted.filter((entry) => !removedKeys.has(keyOf(entry)));
  return { next, changed, unchanged };
}
