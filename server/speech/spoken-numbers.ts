/**
 * Numbers as Vietnamese words: cardinals with the spoken variants a reader expects (mốt, tư, lăm,
 * linh/lẻ, mười/mươi, "không trăm" inside big numbers), decimals, digit-by-digit readings, ordinals
 * and month names.
 */
import type { NumberDialect } from './normalizer-types.js';

const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** Beyond this a digit string is not a quantity anyone says aloud (a thousand "tỷ tỷ" would follow). */
export const MAX_CARDINAL_DIGITS = 18;

interface DialectWords {
  readonly thousand: string;
  readonly zeroTens: string;
}

const DIALECT_WORDS: Readonly<Record<NumberDialect, DialectWords>> = {
  northern: { thousand: 'nghìn', zeroTens: 'linh' },
  southern: { thousand: 'ngàn', zeroTens: 'lẻ' },
};

function digitWord(digit: string): string {
  return DIGIT_WORDS[Number(digit)] ?? digit;
}

/** "0912" → "không chín một hai". */
export function readDigits(digits: string): string {
  return Array.from(digits, digitWord).join(' ');
}

/**
 * Reads a string of ASCII digits as a whole number: "1005" → "một nghìn không trăm linh năm".
 * Leading zeros are ignored; callers keep strings longer than MAX_CARDINAL_DIGITS out.
 */
export function readCardinal(digits: string, dialect: NumberDialect = 'northern'): string {
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return DIGIT_WORDS[0];
  return readSignificant(significant, false, DIALECT_WORDS[dialect]);
}

/**
 * Above nine digits the number is read as (part above a billion) "tỷ" (the rest): 1.500.000.000.000
 * is "một nghìn năm trăm tỷ", not "một nghìn tỷ năm trăm tỷ".
 */
function readSignificant(digits: string, afterHigherPart: boolean, words: DialectWords): string {
  if (digits.length > 9) {
    const high = digits.slice(0, -9).replace(/^0+/, '');
    const low = digits.slice(-9);
    const parts: string[] = [];
    if (high !== '') parts.push(`${readSignificant(high, afterHigherPart, words)} tỷ`);
    if (Number(low) > 0) parts.push(readBelowBillion(low, high !== '' || afterHigherPart, words));
    return parts.join(' ');
  }
  return readBelowBillion(digits, afterHigherPart, words);
}

function readBelowBillion(digits: string, afterHigherPart: boolean, words: DialectWords): string {
  const scales = ['', words.thousand, 'triệu'];
  const groups = splitIntoThrees(digits);
  const parts: string[] = [];
  let spokenSoFar = afterHigherPart;
  groups.forEach((group, position) => {
    const value = Number(group);
    if (value === 0) return;
    const scale = scales[groups.length - 1 - position] ?? '';
    // A group after something already said keeps its hundreds: 1.005 is "một nghìn không trăm linh năm".
    const triad = readTriad(value, spokenSoFar, words);
    parts.push(scale ? `${triad} ${scale}` : triad);
    spokenSoFar = true;
  });
  return parts.join(' ');
}

function splitIntoThrees(digits: string): string[] {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups;
}

function readTriad(value: number, sayHundreds: boolean, words: DialectWords): string {
  const hundreds = Math.floor(value / 100);
  const tens = Math.floor(value / 10) % 10;
  const units = value % 10;
  const parts: string[] = [];
  const hasHundreds = sayHundreds || hundreds > 0;
  if (hasHundreds) parts.push(`${DIGIT_WORDS[hundreds]} trăm`);
  if (tens === 0) {
    if (units > 0) parts.push(hasHundreds ? `${words.zeroTens} ${DIGIT_WORDS[units]}` : DIGIT_WORDS[units]!);
  } else if (tens === 1) {
    parts.push(units === 0 ? 'mười' : `mười ${units === 5 ? 'lăm' : DIGIT_WORDS[units]}`);
  } else {
    parts.push(units === 0 ? `${DIGIT_WORDS[tens]} mươi` : `${DIGIT_WORDS[tens]} mươi ${unitAfterMuoi(units)}`);
  }
  return parts.join(' ');
}

/** After "mươi": 21 "hai mươi mốt", 24 "hai mươi tư", 25 "hai mươi lăm". */
function unitAfterMuoi(units: number): string {
  if (units === 1) return 'mốt';
  if (units === 4) return 'tư';
  if (units === 5) return 'lăm';
  return DIGIT_WORDS[units]!;
}

/**
 * The part after a decimal comma, as Vietnamese schools teach it: leading zeros one by one, then the
 * rest as a number ("3,05" → "ba phẩy không năm", "3,125" → "ba phẩy một trăm hai mươi lăm").
 * Longer tails are read digit by digit, as nobody says "phẩy mười hai nghìn…".
 */
export function readDecimalTail(digits: string, dialect: NumberDialect = 'northern'): string {
  const zeros = /^0*/.exec(digits)?.[0] ?? '';
  const rest = digits.slice(zeros.length);
  const parts: string[] = Array.from(zeros, () => DIGIT_WORDS[0]);
  if (rest.length > 3) parts.push(readDigits(rest));
  else if (rest !== '') parts.push(readCardinal(rest, dialect));
  return parts.join(' ');
}

/** "thứ nhất", "thứ hai", "thứ tư" (not "thứ bốn"), then plain numbers. */
export function readOrdinal(digits: string, dialect: NumberDialect = 'northern'): string {
  const value = Number(digits);
  if (value === 1) return 'nhất';
  if (value === 4) return 'tư';
  return readCardinal(digits, dialect);
}

/** "tháng tư" for April; the other months are their numbers. */
export function readMonth(month: number, dialect: NumberDialect = 'northern'): string {
  return month === 4 ? 'tư' : readCardinal(String(month), dialect);
}
