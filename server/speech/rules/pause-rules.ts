/**
 * Punctuation turned into the two pauses every engine honours, the comma and the full stop:
 * ";" ":" and dashes between words become commas, "…" a full stop, and a line that ends without
 * punctuation (a heading, a list item) gets a full stop so it is not run into the next line.
 */
import type { Rule, RuleMatch } from '../rule.js';
import { oneOf } from '../rule.js';
import { isWordCharacter, matchAt } from '../text-context.js';
import { startsWithListMarker } from './list-marker-rule.js';
import { isDroppedCharacter } from './symbol-rules.js';

// Both start at the first space of a run only: trying again at every later space is quadratic.
const LINE_END = /(?<![ \t])[ \t]*(?:\r\n?|\n)/y;
/** Characters a line may end with and still pause; "|" and ":" count because they become commas. */
const ENDS_WITH_PAUSE = /[.,;:!?…|。！？；：]/u;
// Runs of dashes at once: " - - " read as one pause, not a pause and a stray dash.
const SPACED_DASH = /(?<![ \t])[ \t]+[-–—](?:[ \t]*[-–—])*[ \t]+/y;
const LONE_DASH = /[–—]/y;
const NUMBER_DASH = /(?<=\d)[-–](?=\d)/y;
const BLANK_LINE = /[ \t]*(?:\r\n?|\n)/y;
const FIRST_CHARACTER = /[ \t]*(\S)/uy;
const COMMA_LIKE = /[;:；：]/y;
/** "|" separates table cells pasted as text; the spaces around it go with it. */
const SPACED_BAR = /(?<![ \t])[ \t]+\|+[ \t]*/y;
const BAR = /\|+[ \t]*/y;
const ELLIPSIS = /\.*…[.…]*|\.{3,}/y;

export function pauseRule(): Rule {
  return {
    name: 'pause',
    startsOn: ['other'],
    startsOnOther: oneOf(' \t\r\n-–—;:；：|….'),
    match(text, at): RuleMatch | null {
      const character = text[at];
      if (character === ' ' || character === '\t' || character === '\r' || character === '\n') {
        const lineEnd = matchAt(LINE_END, text, at);
        if (lineEnd) {
          return needsFullStop(text, at, at + lineEnd[0].length) ? { length: lineEnd[0].length, spoken: `.${lineEnd[0]}`, rule: 'pause.line-end' } : null;
        }
        const spacedDash = matchAt(SPACED_DASH, text, at);
        if (spacedDash) return { length: spacedDash[0].length, spoken: ', ', rule: 'pause.dash' };
        const bar = matchAt(SPACED_BAR, text, at);
        return bar ? { length: bar[0].length, spoken: isWordCharacter(text[at + bar[0].length]) ? ', ' : ',', rule: 'pause' } : null;
      }
      if (character === '-' || character === '–' || character === '—') {
        if (matchAt(NUMBER_DASH, text, at)) return { length: 1, spoken: ', ', rule: 'pause.dash' };
        return matchAt(LONE_DASH, text, at) ? { length: 1, spoken: ',', rule: 'pause.dash' } : null;
      }
      const bar = matchAt(BAR, text, at);
      if (bar) return { length: bar[0].length, spoken: isWordCharacter(text[at + bar[0].length]) ? ', ' : ',', rule: 'pause' };
      if (matchAt(COMMA_LIKE, text, at)) return { length: 1, spoken: ',', rule: 'pause' };
      const ellipsis = matchAt(ELLIPSIS, text, at);
      return ellipsis ? { length: ellipsis[0].length, spoken: '.', rule: 'pause.ellipsis' } : null;
    },
  };
}

/**
 * A line needs a full stop when it has text, ends without a pause, and the next line starts
 * something new: a capital, a number, a list item. A next line starting in lower case continues
 * a sentence broken by the editor, and gets no stop.
 */
function needsFullStop(text: string, lineEnd: number, nextLine: number): boolean {
  const last = lastSpokenCharacter(text, lineEnd);
  if (last === null || ENDS_WITH_PAUSE.test(last)) return false;
  let start = nextLine;
  for (let blank = matchAt(BLANK_LINE, text, start); blank; blank = matchAt(BLANK_LINE, text, start)) start += blank[0].length;
  const found = matchAt(FIRST_CHARACTER, text, start);
  if (!found) return false;
  return !/\p{Ll}/u.test(found[1]!) || startsWithListMarker(text, start);
}

/** The last character on the line that will be heard: not spaces, and not what is dropped (*, #, emoji). */
function lastSpokenCharacter(text: string, lineEnd: number): string | null {
  for (let index = lineEnd - 1; index >= 0; index--) {
    const character = text[index]!;
    if (character === '\n' || character === '\r') return null;
    if (character === ' ' || character === '\t') continue;
    const code = text.charCodeAt(index);
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    const whole = isLowSurrogate && index > 0 ? text.slice(index - 1, index + 1) : character;
    if (isDroppedCharacter(whole)) {
      if (whole.length === 2) index--;
      continue;
    }
    return whole;
  }
  return null;
}
