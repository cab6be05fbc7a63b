import { describe, expect, it } from 'vitest';
import {
  addEntries,
  BLOCKLIST_ENTRY_MAX_LENGTH,
  BLOCKLIST_MAX_ENTRIES,
  findBlocked,
  parseEntries,
  removeEntries,
} from '../../../src/services/moderation/blocklist.js';
import { normaliseText } from '../../../src/services/moderation/normalise.js';

describe('normaliseText', () => {
  it.each([
    ['ＮＳＦＷ', 'nsfw', 'full-width letters'],
    ['𝐧𝐬𝐟𝐰', 'nsfw', 'mathematical bold'],
    ['ⓝⓢⓕⓦ', 'nsfw', 'circled letters'],
    ['Ñúdé', 'nude', 'precomposed accents'],
    ['nu\u0301de\u0308', 'nude', 'combining accents'],
    ['n\u200Bu\u200Dd\u2060e\uFEFF', 'nude', 'zero-width characters'],
    ['nu\u00ADde', 'nude', 'a soft hyphen'],
    ['рорn', 'popn', 'Cyrillic small look-alikes'],
    ['ВЕТ', 'bet', 'Cyrillic capitals drawn like Latin'],
    ['ΒΟΟΜ', 'boom', 'Greek capitals'],
    ['ροχ', 'pox', 'Greek small look-alikes'],
    ['ѕёх', 'sex', 'an accented Cyrillic look-alike'],
    ['STRAẞE', 'strasse', 'capital sharp s, folded'],
    ['DİCK', 'dick', 'Turkish dotted capital I'],
    ['bøłd', 'bold', 'letters with a stroke'],
  ])('%s → %s (%s)', (text, expected) => {
    expect(normaliseText(text)).toBe(expected);
  });

  it.each([
    ['вот', 'в\u006Fт', 'small в and т are not b and t: Russian "вот" does not read "bot"'],
    ['нет', 'н\u0065т', 'small н is not h'],
    ['が', 'が', 'Japanese dakuten is a different letter, not an accent'],
    ['폭력', '폭력', 'Hangul is recomposed'],
  ])('keeps %s apart from Latin: %s (%s)', (text, expected) => {
    expect(normaliseText(text)).toBe(expected);
  });
});

/** Entry, prompt, and why it must (or must not) match. */
const blocked: Array<[string, string, string]> = [
  ['nsfw', 'make it NSFW please', 'upper case'],
  ['nsfw', 'make it ｎｓｆｗ', 'full-width'],
  ['nude', 'a ñúdé statue', 'accents'],
  ['nude', 'a nu\u0301de statue', 'a combining accent'],
  ['nude', 'a nu\u200Bde statue', 'a zero-width space'],
  ['nude', 'a n\u00ADu\u2060de statue', 'a soft hyphen and a word joiner'],
  ['sex', 'ѕех on the beach', 'Cyrillic look-alikes throughout'],
  ['cocaine', 'a line of сосаіnе', 'Cyrillic look-alikes mixed with Latin'],
  ['beer', 'a cold ВЕЕR', 'Cyrillic capitals'],
  ['boom', 'ΒΟΟΜ goes the dynamite', 'Greek capitals'],
  ['pox', 'a ροχ on you', 'Greek small letters'],
  ['nsfw', 'n.s.f.w', 'letters spelt out with dots'],
  ['nsfw', 'totally n s f w content', 'letters spelt out with spaces'],
  ['nsfw', 'N . S . F . W', 'letters spelt out with spaced dots'],
  ['nsfw', 'n_s_f_w.pics', 'spelt out, then another word'],
  ['nude', 'a n-ude statue', 'a word split by a hyphen'],
  ['nudity', 'full nu.dity', 'a word split by a dot'],
  ['nude', 'nu*de', 'a word split by an asterisk'],
  ['bad word', 'this Bad   word here', 'a phrase, spacing aside'],
  ['bad word', 'bad-word', 'a phrase joined by a hyphen'],
  ['bad word', 'b.a.d w.o.r.d', 'a phrase spelt out'],
  ['gun*', 'two guns', 'a trailing * matches longer words'],
  ['gun*', 'g.u.n.s', 'a trailing * on a word spelt out'],
  ['暴力', '他使用暴力', 'Chinese inside a sentence'],
  ['暴力', '暴 力', 'Chinese with a space inserted'],
  ['暴力', '暴\u200B力', 'Chinese with a zero-width space inserted'],
  ['暴力', '暴．力', 'Chinese with a full-width dot inserted'],
  ['ヌード', 'ヌードの写真', 'Japanese inside a sentence'],
  ['폭력', '폭력을 쓰다', 'Korean with a particle attached'],
  ['ＮＳＦＷ', 'nsfw', 'an entry written full-width'],
  ['Ñude', 'NUDE', 'an entry written with an accent'],
];

const allowed: Array<[string, string, string]> = [
  ['ass', 'a class on bass and assassins', 'inside longer words'],
  ['sex', 'Essex and Sussex, with a sextant', 'inside longer words'],
  ['nude', 'give it a nudge', 'a near word'],
  ['rapist', 'a therapist at work', 'inside a longer word'],
  ['the rapist', 'a therapist at work', 'a phrase whose words run together in an ordinary word'],
  ['kill', 'skills and a killer whale', 'longer words without a trailing *'],
  ['gun', 'gunther plays', 'longer word without *'],
  ['bot', 'вот так', 'a Russian word whose small letters are not look-alikes'],
  ['het', 'нет', 'small н is not h'],
  ['nsfw', 'news, for, web', 'first letters of words'],
  ['ai', 'he got a. I left', 'single letters across a sentence end'],
  ['ab', 'options a, b and c', 'single letters in a list'],
  ['bad word', 'that is bad. Word up', 'a phrase across a sentence end'],
  ['bad word', 'bad, word', 'a phrase across a comma'],
  ['暴力', '他施暴。力量很大', 'Chinese across a full stop'],
  ['暴力', '暴风，力量', 'Chinese characters apart'],
  ['か', 'がっこう', 'a kana and its voiced form'],
];

describe('findBlocked', () => {
  it.each(blocked)('%s blocks %j (%s)', (entry, prompt) => {
    expect(findBlocked(['unrelated', entry], prompt)?.entry).toBe(entry);
  });

  it.each(allowed)('%s lets %j through (%s)', (entry, prompt) => {
    expect(findBlocked([entry], prompt)).toBeUndefined();
  });

  it('says which reading matched, for the log', () => {
    expect(findBlocked(['nsfw'], 'nsfw')?.reading).toBe('words');
    expect(findBlocked(['nsfw'], 'n s f w')?.reading).toBe('spelt');
    expect(findBlocked(['nude'], 'nu.de')?.reading).toBe('in-word');
  });

  it('matches nothing with an empty list', () => {
    expect(findBlocked([], 'anything at all')).toBeUndefined();
  });
});

describe('blocklist entries', () => {
  it('parses comma- and line-separated entries, full-width commas included, each once', () => {
    expect(parseEntries(' nsfw, bad   word ，nsfw\ngun* ,, ')).toEqual(['nsfw', 'bad word', 'gun*']);
  });

  it('adds only new entries, recognising one written another way', () => {
    const change = addEntries(['nsfw'], ['ＮＳＦＷ', 'nude']);
    expect(change).toEqual({ next: ['nsfw', 'nude'], changed: ['nude'], unchanged: ['ＮＳＦＷ'] });
  });

  it('removes an entry however it is written', () => {
    expect(removeEntries(['Nude', 'nsfw'], ['NÚDE', 'gone'])).toEqual({
      next: ['nsfw'],
      changed: ['Nude'],
      unchanged: ['gone'],
    });
  });

  it('refuses an entry past the length cap, one with nothing to match, and a list past the count cap', () => {
    expect(() => addEntries([], ['x'.repeat(BLOCKLIST_ENTRY_MAX_LENGTH + 1)])).toThrow(
      expect.objectContaining({ key: 'blocklist.tooLong' }),
    );
    expect(() => addEntries([], ['!!!'])).toThrow(
      expect.objectContaining({ key: 'blocklist.nothingToMatch' }),
    );
    const full = Array.from({ length: BLOCKLIST_MAX_ENTRIES }, (_, index) => `word${index}`);
    expect(() => addEntries(full, ['one more'])).toThrow(
      expect.objectContaining({ key: 'blocklist.tooMany' }),
    );
    expect(addEntries(full, ['word0']).changed).toEqual([]);
  });
});
