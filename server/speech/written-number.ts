/**
 * Numbers as Vietnamese writes them: "." groups thousands (1.250.000) and "," is the decimal mark
 * (3,5). Anything else (a lone dot with one or two digits after it, English "1,250,000") is read
 * the way it is written and flagged, since the writer may have meant something else.
 */
import type { NumberDialect } from './normalizer-types.js';
import type { RuleFlag } from './rule.js';
import { flagWhole } from './rule.js';
import { MAX_CARDINAL_DIGITS, readCardinal, readDecimalTail, readDigits } from './spoken-numbers.js';
import { matchAt } from './text-context.js';

export type NumberShape = 'plain' | 'grouped' | 'decimal' | 'english-grouped' | 'dotted';

export interface WrittenNumber {
  readonly start: number;
  readonly end: number;
  readonly written: string;
  readonly shape: NumberShape;
  /** Comparable value for deciding ranges; NaN where the shape has no single value. */
  readonly value: number;
}

export interface SpokenNumber {
  readonly spoken: string;
  readonly rule: string;
  readonly flags: readonly RuleFlag[];
}

// Each shape must end where no further digit group follows, so "1,2,3" is three numbers, not "1,2" and "3".
const END = String.raw`(?!\d|[.,]\d)`;
const SHAPES: readonly (readonly [NumberShape, RegExp])[] = [
  ['english-grouped', new RegExp(String.raw`\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?${END}`, 'y')],
  ['grouped', new RegExp(String.raw`\d{1,3}(?:\.\d{3})+(?:,\d+)?${END}`, 'y')],
  ['decimal', new RegExp(String.raw`\d+,\d+${END}`, 'y')],
  ['dotted', new RegExp(String.raw`\d+(?:\.\d+)+${END}`, 'y')],
];
const PLAIN = /\d+/y;

/** Longer than this, a digit string is an identifier, a mistake or an attack, not something to read. */
const MAX_READABLE_DIGITS = 30;
/** Plain digit strings longer than this are account numbers, ID card numbers and the like: read digit by digit. */
const MAX_PLAIN_QUANTITY_DIGITS = 9;

/** `digitsOnly` reads just the leading digit run, for when a longer shape ran into a word. */
export function parseWrittenNumber(text: string, at: number, digitsOnly = false): WrittenNumber | null {
  // "1,2,3": the "2" continues a list, so it cannot start a decimal of its own.
  const continuesList = /\d[.,]$/.test(text.slice(Math.max(0, at - 2), at));
  if (!continuesList && !digitsOnly) {
    for (const [shape, pattern] of SHAPES) {
      const found = matchAt(pattern, text, at);
      if (found) return written(at, found[0], shape);
    }
  }
  const plain = matchAt(PLAIN, text, at);
  return plain ? written(at, plain[0], 'plain') : null;
}

function written(start: number, text: string, shape: NumberShape): WrittenNumber {
  return { start, end: start + text.length, written: text, shape, value: valueOf(text, shape) };
}

function valueOf(text: string, shape: NumberShape): number {
  if (shape === 'plain') return Number(text);
  if (shape === 'grouped' || shape === 'decimal') return Number(text.replace(/\./g, '').replace(',', '.'));
  return Number.NaN;
}

/**
 * How a number is said. `quantity` is true when a unit follows: "1500000000 đồng" is an amount,
 * while a bare ten-digit run is an account or card number and is read digit by digit.
 */
export function speakNumber(number: WrittenNumber, dialect: NumberDialect, quantity: boolean): SpokenNumber {
  const { written: text, shape } = number;
  const keep = (code: 'number-too-long' | 'unreadable-number', reason: string): SpokenNumber => ({
    spoken: text,
    rule: 'number',
    flags: [flagWhole(text.length, code, reason)],
  });
  const digitCount = text.replace(/\D/g, '').length;
  if (digitCount > MAX_READABLE_DIGITS && shape !== 'plain') return keep('number-too-long', 'too long to read aloud; left as written');
  switch (shape) {
    case 'plain': {
      if (text.length > MAX_READABLE_DIGITS) return keep('number-too-long', 'too long to read aloud; left as written');
      const readAsDigits = (text.length >= 3 && text.startsWith('0')) || (text.length > MAX_PLAIN_QUANTITY_DIGITS && !quantity) || text.length > MAX_CARDINAL_DIGITS;
      return readAsDigits
        ? { spoken: readDigits(text), rule: 'number.digits', flags: [] }
        : { spoken: readCardinal(text, dialect), rule: 'number', flags: [] };
    }
    case 'grouped': {
      const [integer = '', fraction] = text.replace(/\./g, '').split(',');
      if (integer.length > MAX_CARDINAL_DIGITS) return keep('number-too-long', 'too large to read aloud; left as written');
      const spoken = readCardinal(integer, dialect) + (fraction === undefined ? '' : ` phẩy ${readDecimalTail(fraction, dialect)}`);
      return { spoken, rule: 'number', flags: [] };
    }
    case 'decimal': {
      const [integer = '', fraction = ''] = text.split(',');
      if (integer.length > MAX_CARDINAL_DIGITS) return keep('number-too-long', 'too large to read aloud; left as written');
      const spoken = `${readCardinal(integer, dialect)} phẩy ${readDecimalTail(fraction, dialect)}`;
      // "1,500" is 1.5 in Vietnamese, but 1500 to anyone who learned English separators.
      const looksEnglish = fraction.length === 3 && integer.length <= 3 && !integer.startsWith('0');
      const flags = looksEnglish
        ? [flagWhole(text.length, 'ambiguous-number', `read as a decimal ("${spoken}"); write ${integer}.${fraction} if a whole number was meant`)]
        : [];
      return { spoken, rule: 'number.decimal', flags };
    }
    case 'english-grouped': {
      const [integer = '', fraction] = text.replace(/,/g, '').split('.');
      if (integer.length > MAX_CARDINAL_DIGITS) return keep('number-too-long', 'too large to read aloud; left as written');
      const spoken = readCardinal(integer, dialect) + (fraction === undefined ? '' : ` phẩy ${readDecimalTail(fraction, dialect)}`);
      return {
        spoken,
        rule: 'number',
        flags: [flagWhole(text.length, 'ambiguous-number', `commas read as thousands separators ("${spoken}"); Vietnamese writes ${text.replace(/,/g, '#').replace('.', ',').replace(/#/g, '.')}`)],
      };
    }
    case 'dotted': {
      const parts = text.split('.');
      const spoken = parts.map((part) => (part.length > 1 && part.startsWith('0')) || part.length > MAX_PLAIN_QUANTITY_DIGITS ? readDigits(part) : readCardinal(part, dialect)).join(' chấm ');
      return {
        spoken,
        rule: 'number.dotted',
        flags: [flagWhole(text.length, 'ambiguous-number', `a dot that is not a thousands separator, read as "chấm"; write a decimal with a comma (1,5) and thousands as 1.500`)],
      };
    }
  }
}
