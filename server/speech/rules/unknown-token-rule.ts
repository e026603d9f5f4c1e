/**
 * The last rule for a word or a number no other rule read. The word is kept exactly as written
 * (dropping it could drop a name or a figure), and flagged when the engine is likely to stumble:
 * letters mixed with digits ("A1B2"), digits nothing could read, capitals that are not a Vietnamese
 * syllable ("XYZQ"), Roman numerals out of context, letters Vietnamese does not use (f, j, w, z),
 * and other scripts.
 */
import type { FlagCode } from '../normalizer-types.js';
import type { Rule, RuleMatch } from '../rule.js';
import { flagWhole } from '../rule.js';
import { matchAt } from '../text-context.js';
import { isUpperCaseWord, isVietnameseSyllable, romanValue } from '../vietnamese-letters.js';

const TOKEN = /[\p{L}\p{M}\p{N}]+/uy;
/** A code such as "H12.345" or "A1-B2" is kept and flagged whole, not read in pieces. */
const CODE_CONTINUATION = /(?:[.\-/_][\p{L}\p{M}\p{N}]+)+/uy;

export function unknownTokenRule(): Rule {
  return {
    name: 'unknown',
    startsOn: ['word', 'digit'],
    match(text, at): RuleMatch | null {
      const found = matchAt(TOKEN, text, at);
      if (!found) return null;
      let token = found[0];
      const problem = problemWith(token);
      if (problem?.code === 'mixed-letters-digits') token += matchAt(CODE_CONTINUATION, text, at + token.length)?.[0] ?? '';
      return { length: token.length, spoken: token, flags: problem ? [flagWhole(token.length, problem.code, problem.reason)] : [] };
    },
  };
}

/**
 * Plain Vietnamese words, lower case or capitalised, are by far the most common and need none of
 * the checks in problemWith: only digits, f/j/w/z, characters outside the Latin blocks Vietnamese
 * uses, or a capital after the first letter make a word worth a second look. A loop over character
 * codes, because it runs for every word of every bulletin.
 */
function worthChecking(token: string): boolean {
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (code < 128) {
      const lower = code | 0x20;
      if ((code >= 48 && code <= 57) || lower === 102 || lower === 106 || lower === 119 || lower === 122) return true;
      if (index > 0 && code >= 65 && code <= 90) return true;
      continue;
    }
    const isMark = code >= 0x300 && code <= 0x36f;
    const isVietnameseLatin = (code >= 0xc0 && code <= 0x24f) || (code >= 0x1ea0 && code <= 0x1ef9) || isMark;
    if (!isVietnameseLatin) return true;
    if (index > 0 && !isMark && token[index] !== token[index]!.toLowerCase()) return true;
  }
  return false;
}

function problemWith(token: string): { code: FlagCode; reason: string } | null {
  if (!worthChecking(token)) return null;
  const hasAsciiDigit = /\d/.test(token);
  const hasLetter = /\p{L}/u.test(token);
  if (hasAsciiDigit && hasLetter) return { code: 'mixed-letters-digits', reason: 'letters and digits mixed; the engine may spell it oddly; add a dictionary entry' };
  if (hasAsciiDigit || /\p{N}/u.test(token)) return { code: 'unreadable-number', reason: 'a number no rule could read; left as written' };
  if (/[^\p{Script=Latin}\p{M}]/u.test(token)) return { code: 'other-script', reason: 'not in the Latin alphabet; a Vietnamese voice cannot read it' };
  if (isUpperCaseWord(token) && [...token].length >= 2) {
    if (romanValue(token) !== null) return { code: 'roman-numeral', reason: 'a Roman numeral with no word before it (khóa, chương, phần…) to say how to read it' };
    if (!isVietnameseSyllable(token)) return { code: 'unknown-abbreviation', reason: 'capitals that are not a Vietnamese word: an abbreviation the engine will spell or mangle; add it to the abbreviations' };
  }
  if (/\p{Ll}\p{Lu}/u.test(token)) return { code: 'unknown-abbreviation', reason: 'a capital inside a word ("VNeID"): a brand or abbreviation the engine may not say well; add a dictionary entry' };
  if (/[fjwz]/iu.test(token)) return { code: 'foreign-spelling', reason: 'f, j, w and z are not Vietnamese letters; the engine may mispronounce it; add a dictionary entry' };
  return null;
}
