/**
 * Small questions rules ask about the text around a position: what kind of character is here,
 * what follows, whether this is the start of a line. (The words before a position: words-before.ts.)
 */
import type { StartClass } from './rule.js';

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

export function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && character !== '' && WORD_CHARACTER.test(character);
}

/** The code point at `at` as a string (two code units for characters outside the BMP). */
export function codePointAt(text: string, at: number): string {
  const code = text.codePointAt(at);
  return code === undefined ? '' : String.fromCodePoint(code);
}

export function startClassAt(text: string, at: number): StartClass {
  const code = text.charCodeAt(at);
  if (code >= 48 && code <= 57) return 'digit';
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return 'word';
  if (code < 128) return 'other';
  return isWordCharacter(codePointAt(text, at)) ? 'word' : 'other';
}

/** Whether the next few dozen characters match `pattern`, which must be anchored with `^`. */
export function followedBy(text: string, at: number, pattern: RegExp): boolean {
  return pattern.test(text.slice(at, at + 64));
}

export function isLineStart(text: string, at: number): boolean {
  const before = text[at - 1];
  return before === undefined || before === '\n' || before === '\r';
}

/** Runs a sticky (`y`) pattern exactly at `at`. */
export function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Upper-cases the first letter: a reading that starts a sentence keeps its capital. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
