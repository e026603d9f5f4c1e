/**
 * Numbering at the start of a line, said the way an announcer reads a notice: "I." → "Phần một.",
 * "1." or "2)" → "Thứ nhất," "Thứ hai,", "1.2." → "Mục một chấm hai,", "a)" → "a,", "b." → "bê,",
 * and bullets (-, •, *, +) dropped. Only at line starts: "1." inside a sentence is a number.
 */
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule, RuleMatch } from '../rule.js';
import { oneOf } from '../rule.js';
import { readCardinal, readOrdinal } from '../spoken-numbers.js';
import { capitalize, isLineStart, matchAt } from '../text-context.js';
import { letterName, romanValue } from '../vietnamese-letters.js';

const INDENT = '([ \\t]*)';
const FOLLOWED_BY_TEXT = '(?=[ \\t]+\\S)';
const ROMAN_MARKER = new RegExp(`${INDENT}([IVXLC]{2,}|[IVX]|(?:ii|iii|iv|vi|vii|viii|ix|xi|xii))[.)]${FOLLOWED_BY_TEXT}`, 'y');
// "1.2" without a closing dot could be a misplaced decimal ("1.5 và…"): a heading must follow in capitals.
const NESTED_MARKER = new RegExp(`${INDENT}(\\d{1,2}(?:\\.\\d{1,2})+)(?:\\.${FOLLOWED_BY_TEXT}|(?=[ \\t]+\\p{Lu}))`, 'uy');
const NUMBER_MARKER = new RegExp(`${INDENT}(\\d{1,2})[.)]${FOLLOWED_BY_TEXT}`, 'y');
const LETTER_MARKER = new RegExp(`${INDENT}([a-zđA-ZĐ])[.)]${FOLLOWED_BY_TEXT}`, 'uy');
const BULLETS = '-–—•·▪▫●○◦►▸➢➤✓✔∙‣⁃*+';
const BULLET_MARKER = new RegExp(`([ \\t]*)[${BULLETS}][ \\t]+(?=\\S)`, 'uy');

/** Whether a line starting at `at` begins with list numbering or a bullet. */
export function startsWithListMarker(text: string, at: number): boolean {
  return [ROMAN_MARKER, NESTED_MARKER, NUMBER_MARKER, LETTER_MARKER, BULLET_MARKER].some((pattern) => matchAt(pattern, text, at) !== null);
}

export function listMarkerRule(dialect: NumberDialect): Rule {
  return {
    name: 'list',
    startsOn: ['digit', 'word', 'other'],
    startsOnOther: oneOf(` \t${BULLETS}`),
    match(text, at): RuleMatch | null {
      if (!isLineStart(text, at)) return null;
      const roman = matchAt(ROMAN_MARKER, text, at);
      const romanNumber = roman ? romanValue(roman[2]!.toUpperCase()) : null;
      if (roman && romanNumber !== null) {
        return { length: roman[0].length, spoken: `${roman[1]}Phần ${readCardinal(String(romanNumber), dialect)}.`, rule: 'list.roman' };
      }
      const nested = matchAt(NESTED_MARKER, text, at);
      if (nested) {
        const parts = nested[2]!.split('.').map((part) => readCardinal(part, dialect));
        return { length: nested[0].length, spoken: `${nested[1]}Mục ${parts.join(' chấm ')},`, rule: 'list.number' };
      }
      const numbered = matchAt(NUMBER_MARKER, text, at);
      if (numbered) {
        return { length: numbered[0].length, spoken: `${numbered[1]}Thứ ${readOrdinal(numbered[2]!, dialect)},`, rule: 'list.number' };
      }
      const lettered = matchAt(LETTER_MARKER, text, at);
      if (lettered) {
        const letter = lettered[2]!;
        const name = letterName(letter);
        return { length: lettered[0].length, spoken: `${lettered[1]}${letter === letter.toUpperCase() ? capitalize(name) : name},`, rule: 'list.letter' };
      }
      const bullet = matchAt(BULLET_MARKER, text, at);
      return bullet ? { length: bullet[0].length, spoken: bullet[1]!, rule: 'list.bullet' } : null;
    },
  };
}
