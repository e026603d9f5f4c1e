/**
 * One left-to-right pass over the text. At each place a word, number or symbol starts, the rules
 * that can start there are asked in order and the first that matches decides the reading; nothing
 * is read twice, so every change has one rule and one position and rules never fight over text.
 */
import type { FlagCode } from './normalizer-types.js';
import type { Rule, StartClass } from './rule.js';
import { capitalize, codePointAt, isWordCharacter, startClassAt } from './text-context.js';

export interface ScannedChange {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly rule: string;
}

export interface ScannedFlag {
  readonly index: number;
  readonly length: number;
  readonly code: FlagCode;
  readonly reason: string;
}

export interface ScanResult {
  readonly text: string;
  readonly changes: ScannedChange[];
  readonly flags: ScannedFlag[];
}

const MAX_REMEMBERED_CHARACTERS = 4_096;

/**
 * The rules worth asking at a character. Spaces and punctuation are most of a text and only a few
 * rules start on each, so the list for every such character is worked out once and remembered.
 */
export class RulesByStart {
  private readonly digit: readonly Rule[];
  private readonly word: readonly Rule[];
  private readonly other: readonly Rule[];
  private readonly byAsciiCode: readonly (readonly Rule[])[];
  private readonly byOtherCharacter = new Map<string, readonly Rule[]>();

  constructor(rules: readonly Rule[]) {
    const select = (start: StartClass) => rules.filter((rule) => rule.startsOn.includes(start));
    this.digit = select('digit');
    this.word = select('word');
    this.other = select('other');
    this.byAsciiCode = Array.from({ length: 128 }, (_, code) => this.forCharacter(String.fromCharCode(code)));
  }

  at(text: string, at: number): readonly Rule[] {
    const code = text.charCodeAt(at);
    if (code < 128) return this.byAsciiCode[code]!;
    if (startClassAt(text, at) === 'word') return this.word;
    const character = codePointAt(text, at);
    let rules = this.byOtherCharacter.get(character);
    if (!rules) {
      rules = this.forCharacter(character);
      // Rule sets are kept between calls: a text of a million different symbols must not grow this without end.
      if (this.byOtherCharacter.size < MAX_REMEMBERED_CHARACTERS) this.byOtherCharacter.set(character, rules);
    }
    return rules;
  }

  private forCharacter(character: string): readonly Rule[] {
    const start = startClassAt(character, 0);
    if (start === 'digit') return this.digit;
    if (start === 'word') return this.word;
    return this.other.filter((rule) => !rule.startsOnOther || rule.startsOnOther(character));
  }
}

export function scan(text: string, rules: RulesByStart): ScanResult {
  const output = new SpokenOutput(text);
  const changes: ScannedChange[] = [];
  const flags: ScannedFlag[] = [];
  let at = 0;
  while (at < text.length) {
    const found = firstMatch(text, at, rules.at(text, at));
    if (!found) {
      const code = text.charCodeAt(at);
      const startsPair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
      at += startsPair ? 2 : 1;
      continue;
    }
    const { rule, match } = found;
    const end = at + match.length;
    for (const flag of match.flags ?? []) {
      flags.push({ index: at + flag.offset, length: flag.length, code: flag.code, reason: flag.reason });
    }
    const from = text.slice(at, end);
    if (match.spoken !== from) changes.push({ index: at, from, to: output.replace(at, end, match.spoken), rule: match.rule ?? rule.name });
    at = end;
  }
  return { text: output.finish(), changes, flags };
}

/**
 * The spoken text as it is built: unchanged stretches are copied in slices when the next change
 * comes, and each reading is fitted to what surrounds it in the output.
 */
class SpokenOutput {
  private readonly pieces: string[] = [];
  private copiedUpTo = 0;
  /** The last character written, and the last few, up to `copiedUpTo`. */
  private lastCharacter = '';
  private tail = '';
  private hasWords = false;

  constructor(private readonly text: string) {}

  /** Writes `spoken` in place of text[at, end) and returns it as written. */
  replace(at: number, end: number, spoken: string): string {
    const from = this.text.slice(at, end);
    const unchanged = this.text.slice(this.copiedUpTo, at);
    const before = unchanged === '' ? this.lastCharacter : lastCodePoint(unchanged);
    const outputBefore = (this.tail + unchanged.slice(-SENTENCE_CONTEXT)).slice(-SENTENCE_CONTEXT);
    const startsSentence = isSentenceStart(outputBefore, !this.hasWords && !NOT_BLANK.test(unchanged));
    const to = capitalizedAtSentenceStart(spaced(spoken, before, codePointAt(this.text, end)), from, startsSentence);
    this.pieces.push(unchanged, to);
    this.copiedUpTo = end;
    this.lastCharacter = to === '' ? before : lastCodePoint(to);
    this.tail = (outputBefore + to).slice(-SENTENCE_CONTEXT);
    this.hasWords ||= NOT_BLANK.test(unchanged) || NOT_BLANK.test(to);
    return to;
  }

  finish(): string {
    this.pieces.push(this.text.slice(this.copiedUpTo));
    return this.pieces.join('');
  }
}

function firstMatch(text: string, at: number, candidates: readonly Rule[]) {
  for (const rule of candidates) {
    const match = rule.match(text, at);
    if (match && match.length > 0) return { rule, match };
  }
  return null;
}

/**
 * A reading put between two word characters gets spaces so it does not fuse with its neighbours:
 * "TP.HCM" becomes "thành phố Hồ Chí Minh", not "thành phốHồ Chí Minh". Text removed from between
 * two word characters leaves one space, or "UB*ND" would become the "UBND" it is not.
 */
function spaced(to: string, before: string, after: string): string {
  if (to === '') return isWordCharacter(before) && isWordCharacter(after) ? ' ' : to;
  let result = to;
  if (isWordCharacter(before) && isWordCharacter(codePointAt(result, 0))) result = ` ${result}`;
  if (isWordCharacter(after) && isWordCharacter(lastCodePoint(result))) result = `${result} `;
  return result;
}

const SENTENCE_CONTEXT = 16;
const NOT_BLANK = /[^\s"'“‘(«[]/;

/**
 * "UBND xã thông báo" starts a sentence, and so does its reading: "Ủy ban nhân dân xã thông báo".
 * Only when the written text started with a capital or a digit; engines do not care, but officials
 * read the preview.
 */
function capitalizedAtSentenceStart(to: string, from: string, startsSentence: boolean): string {
  return startsSentence && /^[\p{Lu}\d]/u.test(from) && /^\p{Ll}/u.test(to) ? capitalize(to) : to;
}

/** Judged on the output, so "TM. UBND" (read "Thay mặt ủy ban…") does not count its dot; a stop must be followed by a space. */
function isSentenceStart(outputBefore: string, atTextStart: boolean): boolean {
  let index = outputBefore.length - 1;
  let spaced = false;
  while (index >= 0 && /[ \t"'“‘(«[]/.test(outputBefore[index]!)) {
    if (outputBefore[index] === ' ' || outputBefore[index] === '\t') spaced = true;
    index--;
  }
  if (index < 0) return atTextStart;
  const character = outputBefore[index]!;
  return character === '\n' || character === '\r' || (spaced && /[.!?…]/.test(character));
}

function lastCodePoint(text: string): string {
  if (text === '') return '';
  const last = text.charCodeAt(text.length - 1);
  const isLowSurrogate = last >= 0xdc00 && last <= 0xdfff;
  return isLowSurrogate && text.length >= 2 ? codePointAt(text, text.length - 2) : text.slice(-1);
}
