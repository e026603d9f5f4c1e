/**
 * The words just before a position, for rules whose reading depends on them ("thứ 4", "ngày 2/9",
 * "gọi 114", "Nghị định số 49/…"). Read backwards word by word, so asking costs the length of a
 * few words; rules ask at nearly every number, and a regular expression over a window of text
 * each time made long bulletins slow.
 */

export interface PhraseFound {
  /** The phrase as listed (lower case). */
  readonly phrase: string;
  /** Optional words between the phrase and the position ("số" in "Nghị định số 49"). */
  readonly connectors: readonly string[];
}

export interface WordsBeforeOptions {
  /** Words allowed, and skipped, between the phrase and the position, up to two of them. */
  readonly connectors?: readonly string[];
  /** Whether a colon may stand right before the position ("ĐT: 0912…"). */
  readonly colon?: boolean;
}

const MAX_CONNECTORS = 2;

export class WordsBefore {
  private readonly phrases: ReadonlySet<string>;
  private readonly connectors: ReadonlySet<string>;
  private readonly longestPhrase: number;
  private readonly colon: boolean;

  constructor(phrases: readonly string[], options: WordsBeforeOptions = {}) {
    this.phrases = new Set(phrases.map((phrase) => phrase.toLowerCase()));
    this.connectors = new Set((options.connectors ?? []).map((word) => word.toLowerCase()));
    this.longestPhrase = Math.max(1, ...phrases.map((phrase) => phrase.split(' ').length));
    this.colon = options.colon ?? false;
  }

  test(text: string, at: number): boolean {
    return this.find(text, at) !== null;
  }

  find(text: string, at: number): PhraseFound | null {
    const before = wordsJustBefore(text, at);
    if (before.colon && !this.colon) return null;
    const words = before.words;
    for (let skipped = 0; skipped <= MAX_CONNECTORS && skipped < words.length; skipped++) {
      if (skipped > 0 && !this.connectors.has(words[words.length - skipped]!)) break;
      const end = words.length - skipped;
      let phrase = '';
      let longest: string | null = null;
      for (let length = 1; length <= this.longestPhrase && length <= end; length++) {
        phrase = length === 1 ? words[end - 1]! : `${words[end - length]!} ${phrase}`;
        if (this.phrases.has(phrase)) longest = phrase;
      }
      if (longest !== null) return { phrase: longest, connectors: words.slice(end) };
    }
    return null;
  }
}

interface Before {
  readonly words: readonly string[];
  /** Whether a colon stands between the words and the position. */
  readonly colon: boolean;
}

const MAX_WORDS = 5;
const NOTHING: Before = { words: [], colon: false };
// Several rules ask about the same position one after another; the answer is worked out once.
let lastText = '';
let lastAt = -1;
let lastBefore: Before = NOTHING;

/**
 * Up to five lower-cased words ending just before `at`, nearest last. The last word must be
 * separated from `at` by spaces or a colon, and the words from each other by spaces.
 */
function wordsJustBefore(text: string, at: number): Before {
  if (text === lastText && at === lastAt) return lastBefore;
  lastText = text;
  lastAt = at;
  lastBefore = readWordsBefore(text, at);
  return lastBefore;
}

function readWordsBefore(text: string, at: number): Before {
  let index = at;
  let colon = false;
  while (index > 0 && isGap(text[index - 1]!)) {
    if (text[index - 1] !== ' ' && text[index - 1] !== '\t') colon = true;
    index--;
  }
  if (index === at) return NOTHING;
  const words: string[] = [];
  while (words.length < MAX_WORDS) {
    const end = index;
    while (index > 0 && isLetter(text, index - 1)) index--;
    if (index === end) break;
    words.unshift(text.slice(index, end).toLowerCase());
    const wordStart = index;
    while (index > 0 && (text[index - 1] === ' ' || text[index - 1] === '\t')) index--;
    if (index === wordStart) break;
  }
  return { words, colon };
}

function isGap(character: string): boolean {
  return character === ' ' || character === '\t' || character === ':' || character === '：';
}

const LETTER = /[\p{L}\p{M}]/u;

function isLetter(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(text[index]!);
}
