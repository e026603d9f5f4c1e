/**
 * The public shapes of the Vietnamese text normaliser: what callers pass in and what they get back.
 */

/**
 * A user-defined reading (a place, an ethnic group, a local abbreviation), stored by the lead in the
 * database. `word`: whole-word, case-insensitive. `pattern`: a JavaScript regular expression, either
 * bare source (matched case-sensitively) or written as `/source/flags` to choose flags such as `i`;
 * `spoken` may use `$1`, `$<name>` and `$&` to reuse what the pattern captured.
 */
export interface PronunciationEntry {
  readonly match: string;
  readonly spoken: string;
  readonly kind: 'word' | 'pattern';
}

/** Northern speech says "nghìn" and "linh" (1.005 = "một nghìn không trăm linh năm"); southern says "ngàn" and "lẻ". */
export type NumberDialect = 'northern' | 'southern';

export interface NormalizeOptions {
  /** Applied before every built-in rule; where two entries match at one place the longer match wins, then the earlier entry. */
  readonly dictionary?: readonly PronunciationEntry[];
  /** Extends DEFAULT_ABBREVIATIONS; a key given here replaces the default reading of that key. Keys match case-sensitively. */
  readonly abbreviations?: ReadonlyMap<string, string>;
  readonly dialect?: NumberDialect;
}

/** One rewrite: `from` at `index` in the input became `to`. Applying every change to the input gives `spokenText`. */
export interface Change {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
  readonly index: number;
}

export type FlagCode =
  | 'ambiguous-number'
  | 'ambiguous-date'
  | 'number-too-long'
  | 'unreadable-number'
  | 'mixed-letters-digits'
  | 'unknown-abbreviation'
  | 'roman-numeral'
  | 'foreign-spelling'
  | 'other-script'
  | 'unknown-code'
  | 'web-address'
  | 'symbol'
  | 'invalid-character'
  | 'invalid-date'
  | 'dictionary-entry';

/**
 * Something an official should look at before broadcasting. The token is kept in the spoken text as
 * written (or given the reading the reason names); it is never dropped. `index` is -1 only for a
 * dictionary entry that could not be used, which has no place in the text.
 */
export interface FlaggedToken {
  readonly token: string;
  readonly index: number;
  readonly code: FlagCode;
  readonly reason: string;
}

export interface NormalizedText {
  readonly spokenText: string;
  readonly changes: Change[];
  readonly flagged: FlaggedToken[];
}
