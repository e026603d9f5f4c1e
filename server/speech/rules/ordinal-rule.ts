/**
 * Numbers whose reading depends on the word before them: "thứ 2" → "thứ hai", "lần thứ 1" → "lần
 * thứ nhất", "thứ 4" → "thứ tư"; Roman numerals after "khóa", "chương", "quý"… ("khóa XV" → "khóa
 * mười lăm", "quý IV/2024"); and the letters of "điểm b khoản 2" said by name ("điểm bê").
 */
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule, RuleMatch } from '../rule.js';
import { readCardinal, readOrdinal } from '../spoken-numbers.js';
import { matchAt } from '../text-context.js';
import { letterName, romanValue } from '../vietnamese-letters.js';
import { WordsBefore } from '../words-before.js';

const ORDINAL_WORD_BEFORE = new WordsBefore(['thứ']);
const ORDINAL = /(\d{1,3})(?:[ \t]*[-–][ \t]*(\d{1,3}))?(?![\p{L}\p{M}\p{N}]|[.,]\d)/uy;

const ROMAN_WORDS = ['chương', 'phần', 'mục', 'khóa', 'khoá', 'quý', 'kỳ', 'kì', 'đại hội', 'thế kỷ', 'thế kỉ', 'hội nghị', 'tập', 'cấp', 'vùng', 'loại', 'phụ lục', 'thứ'];
const ROMAN_WORD_BEFORE = new WordsBefore(ROMAN_WORDS);
const ROMAN_NUMERAL = /([MDCLXVI]+)(?:\/(\d{4}))?(?![\p{L}\p{M}\p{N}])/uy;

const LETTER_ITEM_BEFORE = /(?:^|[^\p{L}\p{M}])điểm[ \t]+(?:[a-zđ][ \t]*(?:,|và|hoặc)[ \t]*)*$/iu;
const LETTER_ITEM = /[a-zđ](?![\p{L}\p{M}\p{N}])/uy;

export function ordinalRule(dialect: NumberDialect): Rule {
  return {
    name: 'ordinal',
    startsOn: ['digit', 'word'],
    match(text, at): RuleMatch | null {
      const lead = text.charCodeAt(at);
      if (lead >= 48 && lead <= 57) return ordinalNumber(text, at, dialect);
      if (/[MDCLXVI]/.test(text[at]!)) return romanNumber(text, at, dialect);
      return letterItem(text, at);
    },
  };
}

function ordinalNumber(text: string, at: number, dialect: NumberDialect): RuleMatch | null {
  if (!ORDINAL_WORD_BEFORE.test(text, at)) return null;
  const found = matchAt(ORDINAL, text, at);
  if (!found) return null;
  const [written, first = '', last] = found;
  if (last !== undefined && Number(last) <= Number(first)) return null;
  const spoken = readOrdinal(first, dialect) + (last === undefined ? '' : ` đến thứ ${readOrdinal(last, dialect)}`);
  return { length: written.length, spoken, rule: 'ordinal' };
}

function romanNumber(text: string, at: number, dialect: NumberDialect): RuleMatch | null {
  const found = matchAt(ROMAN_NUMERAL, text, at);
  const value = found ? romanValue(found[1]!) : null;
  if (!found || value === null || !ROMAN_WORD_BEFORE.test(text, at)) return null;
  const afterThu = ORDINAL_WORD_BEFORE.test(text, at);
  const number = afterThu ? readOrdinal(String(value), dialect) : readCardinal(String(value), dialect);
  const year = found[2] === undefined ? '' : ` năm ${readCardinal(found[2], dialect)}`;
  return { length: found[0].length, spoken: number + year, rule: 'roman-numeral' };
}

function letterItem(text: string, at: number): RuleMatch | null {
  // Only a one-letter word can be an item letter; most words end the test here.
  const next = text.charCodeAt(at + 1);
  if ((next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next > 127) {
    if (next > 127 && !/[\p{L}\p{M}\p{N}]/u.test(text[at + 1]!)) return letterItemAfterCheck(text, at);
    return null;
  }
  return letterItemAfterCheck(text, at);
}

function letterItemAfterCheck(text: string, at: number): RuleMatch | null {
  const found = matchAt(LETTER_ITEM, text, at);
  if (!found || !LETTER_ITEM_BEFORE.test(text.slice(Math.max(0, at - 48), at))) return null;
  return { length: 1, spoken: letterName(found[0]), rule: 'letter' };
}
