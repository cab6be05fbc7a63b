import { translate } from '../i18n/index.js';
import { BLOCKLIST_MAX_ENTRIES } from '../moderation/blocklist.js';

const EMBED_COLOUR = 0x5865f2;
/** Discord's limit on an embed field's value. */
const FIELD_MAX = 1024;

/** An entry as inline code, so markdown and mentions in it stay text. */
const code = (entry: string) => `\`${entry.replaceAll('`', "'")}\``;

/** What an add or remove did, for the admin who asked (entries are theirs to see). */
export function describeBlocklistChange(
  locale: string,
  action: 'add' | 'remove',
  result: { changed: string[]; unchanged: string[]; total: number },
): string {
  const list = (entries: string[]) => entries.map(code).join(', ');
  const lines: string[] = [];
  if (result.changed.length > 0)
    lines.push(
      translate(locale, action === 'add' ? 'blocklist.added' : 'blocklist.removed', {
        entries: list(result.changed),
        total: result.total,
      }),
    );
  if (result.unchanged.length > 0)
    lines.push(
      translate(locale, action === 'add' ? 'blocklist.alreadyThere' : 'blocklist.notThere', {
        entries: list(result.unchanged),
      }),
    );
  return lines.join('\n');
}

/**
 * The whole list, for admins: entries in fields of at most 1024 characters (a full list of
 * 100 entries of 50 characters stays under Discord's 6000 per embed), how matching works above.
 */
export function renderBlocklist(locale: string, entries: readonly string[]) {
  if (entries.length === 0) return { content: translate(locale, 'blocklist.none'), embeds: [] };
  const fields: Array<{ name: string; value: string }> = [];
  let first = 1;
  let chunk: string[] = [];
  const flush = (last: number) => {
    fields.push({ name: `${first}–${last}`, value: chunk.join(', ') });
    first = last + 1;
    chunk = [];
  };
  entries.forEach((entry, index) => {
    if ([...chunk, code(entry)].join(', ').length > FIELD_MAX) flush(index);
    chunk.push(code(entry));
  });
  flush(entries.length);
  return {
    content: translate(locale, 'blocklist.howItMatches'),
    embeds: [
      {
        title: translate(locale, 'blocklist.title', { total: entries.length, max: BLOCKLIST_MAX_ENTRIES }),
        color: EMBED_COLOUR,
        fields,
      },
    ],
  };
}
