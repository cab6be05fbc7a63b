/**
 * Text as the blocklist sees it: look-alike characters folded to one form, then cut into words.
 * Only ever used to compare; the prompt sent to Kie is never changed by it.
 */

/** Characters that render as nothing: deleted, so "n\u200Bsfw" reads "nsfw" (both sides of a match). */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: code points deleted one by one, never combined
  /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;

/**
 * Accents on Latin, Greek and Cyrillic letters (the combining diacritical blocks), not every mark:
 * Japanese dakuten or Indic vowel signs make other words, and stay.
 */
const DIACRITICS = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/g;

/**
 * Cyrillic and Greek letters drawn like a Latin one, and Latin letters NFD does not split
 * (ø, ł…). Upper case is mapped before case folding, as its glyph is what a reader sees: Cyrillic
 * "В" looks like B but "в" does not, so only the capital is mapped; the same for Greek "Η" and "η".
 */
// biome-ignore format: a table reads better in rows
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic capitals and small letters with a Latin twin.
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x',
  Ѕ: 's', І: 'i', Ј: 'j', Ү: 'y', Ԁ: 'd', Ԛ: 'q', Ԝ: 'w', Ӏ: 'l',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd',
  ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y',
  // Greek capitals and small letters with a Latin twin.
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't',
  Υ: 'y', Χ: 'x', Ϲ: 'c', Ϳ: 'j',
  α: 'a', ο: 'o', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', υ: 'u', χ: 'x', ϲ: 'c', ϳ: 'j',
  // Latin letters with a stroke, which Unicode does not decompose.
  ø: 'o', ł: 'l', đ: 'd', ħ: 'h', ŧ: 't', ƀ: 'b', ɨ: 'i', ƶ: 'z',
};

const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

function unconfuse(text: string): string {
  return text.replace(CONFUSABLE, (char) => CONFUSABLES[char] ?? char);
}

/**
 * The comparable form of a text: NFKC (full-width and styled letters to plain ones), invisible
 * characters removed, accents stripped (NFD), look-alikes mapped, case folded (ß → ss, İ → i).
 */
export function normaliseText(text: string): string {
  const plain = text.normalize('NFKC').replace(INVISIBLE, '').normalize('NFD').replace(DIACRITICS, '');
  // Lower, upper, lower is a full case fold for our purpose (ẞ → ß → SS → ss, ς → Σ → σ).
  const folded = unconfuse(unconfuse(plain).toLowerCase().toUpperCase().toLowerCase());
  return folded.normalize('NFC');
}

/** Scripts written without spaces between words: each character is a word of its own. */
const UNSPACED =
  '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';
const WORD = new RegExp(`[${UNSPACED}]\\p{M}*|(?:(?![${UNSPACED}])[\\p{L}\\p{N}]\\p{M}*)+`, 'gu');
const UNSPACED_CHAR = new RegExp(`^[${UNSPACED}]`, 'u');

export interface Word {
  text: string;
  /** What stands between this word and the one before it ('' for the first). */
  gap: string;
  /** A lone letter or digit of a spaced script ("n" of "n s f w"), which may be spelt out. */
  single: boolean;
  /** A character of a script written without spaces (Chinese, Japanese…). */
  unspaced: boolean;
}

/** The words of a normalised text, each with the separator before it. */
export function wordsOf(normalised: string): Word[] {
  const words: Word[] = [];
  let end = 0;
  for (const match of normalised.matchAll(WORD)) {
    const text = match[0];
    const unspaced = UNSPACED_CHAR.test(text);
    words.push({
      text,
      gap: normalised.slice(end, match.index),
      single: !unspaced && [...text].length === 1,
      unspaced,
    });
    end = match.index + text.length;
  }
  return words;
}

/**
 * What may stand between the letters of a word spelt out ("n.s.f.w", "n-u-d-e", "n s f w"): up
 * to three of these characters. Commas, semicolons, ! and ? end a clause and line breaks a line,
 * so letters on either side of them are never joined.
 */
const SPELLING_GAP = /^[ \t.\-_*~·•|/\\+'`^=:]{1,3}$/u;
/** Inside one word ("nu.dity", "n-ude", "nu_de"): the same characters, without any space. */
const INWORD_GAP = /^[.\-_*~·•|/\\+'`^=:]{1,3}$/u;

/**
 * What ends a clause or a line: the words of a phrase do not match across it ("bad. Word",
 * "施暴。力量" do not hold "bad word", "暴力"), nor are letters spelt out across it ("a. I"). A
 * full stop that ends a word does; one between letters ("暴.力", "n . s") does not.
 */
const CLAUSE_BREAK = /[,;!?\n\u3001\u3002\uFF61\uFF64]|^\.\s/u;

/** Whether `gap` (between two words) keeps them in one phrase. */
export function sameClause(gap: string): boolean {
  return !CLAUSE_BREAK.test(gap);
}

/** A word made by joining others; a joined word is compared with the whole entry run together. */
export interface JoinedWord {
  text: string;
  gap: string;
  joined: boolean;
}

/**
 * Two further readings of the words, besides the plain one: lone letters spelt out joined
 * ("n s f w" → "nsfw"), and words split by punctuation without spaces joined ("nu.de" → "nude").
 * Kept apart, so "n.s.f.w.pics" still reads "nsfw" then "pics".
 */
export function joinedReadings(words: readonly Word[]): [JoinedWord[], JoinedWord[]] {
  const spelt = joinWhere(
    words,
    (previous, word) => previous.single && word.single && SPELLING_GAP.test(word.gap) && sameClause(word.gap),
  );
  const inWord = joinWhere(
    words,
    (previous, word) => !previous.unspaced && !word.unspaced && INWORD_GAP.test(word.gap),
  );
  return [spelt, inWord];
}

function joinWhere(words: readonly Word[], joins: (previous: Word, word: Word) => boolean): JoinedWord[] {
  const out: JoinedWord[] = [];
  words.forEach((word, index) => {
    const previous = words[index - 1];
    const last = out.at(-1);
    if (previous && last && joins(previous, word)) {
      last.text += word.text;
      last.joined = true;
    } else out.push({ text: word.text, gap: word.gap, joined: false });
  });
  return out;
}
