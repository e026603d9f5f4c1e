/**
 * What a normalisation rule is: given the text and a position where a word, a number or a symbol
 * starts, it either declines or says how many characters it reads and how they are spoken.
 */
import type { FlagCode } from './normalizer-types.js';

/** Which kind of character a rule can start on; the scanner only asks rules that can. */
export type StartClass = 'digit' | 'word' | 'other';

export interface RuleFlag {
  /** Relative to the start of the match. */
  readonly offset: number;
  readonly length: number;
  readonly code: FlagCode;
  readonly reason: string;
}

export interface RuleMatch {
  /** UTF-16 code units read from the text; always more than zero. */
  readonly length: number;
  readonly spoken: string;
  /** A finer name for the change record than the rule's own ("number.decimal" rather than "number"). */
  readonly rule?: string;
  readonly flags?: readonly RuleFlag[];
}

export interface Rule {
  readonly name: string;
  readonly startsOn: readonly StartClass[];
  /** Of the characters that are neither letters nor digits, the ones the rule can start on; all if absent. */
  readonly startsOnOther?: (character: string) => boolean;
  match(text: string, at: number): RuleMatch | null;
}

/** A `startsOnOther` test for a fixed set of characters. */
export function oneOf(characters: string): (character: string) => boolean {
  const set = new Set(characters);
  return (character) => set.has(character);
}

export function flagWhole(length: number, code: FlagCode, reason: string): RuleFlag {
  return { offset: 0, length, code, reason };
}
