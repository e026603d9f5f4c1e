/**
 * Letters and spelling: the names of the letters as read aloud ("b" is "bê"), whether an upper-case
 * word could be a Vietnamese syllable or must be an abbreviation, and Roman numerals.
 */

const LETTER_NAMES: ReadonlyMap<string, string> = new Map([
  ['a', 'a'], ['ă', 'á'], ['â', 'ớ'], ['b', 'bê'], ['c', 'xê'], ['d', 'dê'], ['đ', 'đê'], ['e', 'e'], ['ê', 'ê'],
  ['f', 'ép'], ['g', 'giê'], ['h', 'hát'], ['i', 'i'], ['j', 'gi'], ['k', 'ca'], ['l', 'e lờ'], ['m', 'em mờ'],
  ['n', 'en nờ'], ['o', 'o'], ['ô', 'ô'], ['ơ', 'ơ'], ['p', 'pê'], ['q', 'quy'], ['r', 'e rờ'], ['s', 'ét xì'],
  ['t', 'tê'], ['u', 'u'], ['ư', 'ư'], ['v', 'vê'], ['w', 'vê kép'], ['x', 'ích xì'], ['y', 'i dài'], ['z', 'dét'],
]);

/** "b" → "bê"; an unknown character comes back as itself. */
export function letterName(letter: string): string {
  return LETTER_NAMES.get(letter.toLowerCase()) ?? letter;
}

// Tone marks only: breve, circumflex and horn make different vowels and stay.
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const SYLLABLE = /^(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|nh|ng|[cmnpt])?$/u;

/**
 * Whether a word is spelled like one Vietnamese syllable: "THÔNG", "NGHIÊNG", "QUYẾT" are; "UBND",
 * "XYZQ" and "PCCC" are not. An approximation (it accepts some sequences no one writes), used only
 * to tell headings in capitals from abbreviations the engine would mangle.
 */
export function isVietnameseSyllable(word: string): boolean {
  let known = syllables.get(word);
  if (known === undefined) {
    known = SYLLABLE.test(word.normalize('NFD').replace(TONE_MARKS, '').normalize('NFC').toLowerCase());
    // Headings repeat the same few words; the bound keeps a hostile text from growing the memo without end.
    if (syllables.size >= MAX_REMEMBERED) syllables.clear();
    syllables.set(word, known);
  }
  return known;
}

const MAX_REMEMBERED = 5_000;
const syllables = new Map<string, boolean>();

export function isUpperCaseWord(word: string): boolean {
  return /\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word);
}

const ROMAN = /^(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const ROMAN_VALUES: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** The value of a well-formed upper-case Roman numeral ("XIV" → 14), or null. */
export function romanValue(numeral: string): number | null {
  if (!ROMAN.test(numeral)) return null;
  let total = 0;
  for (let index = 0; index < numeral.length; index++) {
    const value = ROMAN_VALUES[numeral[index]!]!;
    const next = ROMAN_VALUES[numeral[index + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}
