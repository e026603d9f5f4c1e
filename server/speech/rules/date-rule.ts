/**
 * Dates: "22/11/2026" → "ngày hai mươi hai tháng mười một năm hai nghìn không trăm hai mươi sáu",
 * day ranges ("20-25/11"), month and year ("tháng 11/2026", "11/2026"), months ("tháng 4" → "tháng
 * tư"), and the question every "2/3" raises: a date or two thirds? Words around it decide ("ngày
 * 2/9", "2/3 số hộ"); when nothing does, a day-month reading wins and is flagged if it could be a
 * fraction.
 */
import { DOCUMENT_TYPE_WORDS } from '../legal-codes.js';
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule, RuleFlag, RuleMatch } from '../rule.js';
import { flagWhole } from '../rule.js';
import { readCardinal, readMonth } from '../spoken-numbers.js';
import { followedBy, matchAt } from '../text-context.js';
import { WordsBefore } from '../words-before.js';

/** After these "ngày" is already said, so a full date does not get another. */
const DAY_WORD_BEFORE = new WordsBefore(['ngày', 'mùng', 'hôm']);
const DATE_WORD_BEFORE = new WordsBefore([
  'ngày', 'mùng', 'hôm', 'sáng', 'trưa', 'chiều', 'tối', 'đêm', 'khuya', 'từ', 'đến', 'tới', 'trước', 'sau', 'hết', 'hạn', 'lễ', 'tết', 'dịp', 'kỷ niệm', 'quốc khánh',
]);
/** A dash is a range ("từ 1-5 tuổi") unless one of these says a day is meant ("ngày 22-11", "sáng 2-9"). */
const DASHED_DATE_WORD_BEFORE = new WordsBefore(['ngày', 'mùng', 'hôm', 'sáng', 'trưa', 'chiều', 'tối', 'đêm', 'khuya', 'lễ', 'tết', 'dịp', 'quốc khánh']);
const MONTH_WORD_BEFORE = new WordsBefore(['tháng']);
/** "số 12/2024", "quý 1/2024", "Nghị định 12/2024": a number and a year, not a month. */
const NUMBER_WORD_BEFORE = new WordsBefore(['số', 'quý', ...DOCUMENT_TYPE_WORDS], { connectors: ['số'], colon: true });
/** "giảm 3/4", "chiếm 1/3": a share, not a day. */
const FRACTION_WORD_BEFORE = new WordsBefore(['giảm', 'tăng', 'chiếm', 'bằng', 'đạt', 'còn', 'gần', 'hơn', 'khoảng', 'chừng', 'quá', 'vượt']);
/** "số nhà 15/3", "ngõ 5/2": an address, said "mười lăm trên ba". */
const ADDRESS_WORD_BEFORE = new WordsBefore(['số nhà', 'nhà số', 'ngõ', 'ngách', 'hẻm', 'kiệt', 'số']);
const FRACTION_WORD_AFTER =
  /^[ \t]+(?:số|tổng|diện tích|dân số|lượng|khối lượng|sản lượng|kinh phí|giá trị|quỹ|phần|trong|các|những|còn lại)(?![\p{L}\p{M}])/iu;
/** "1/2/3": the "2" continues something already read. */
const CONTINUES = /\d[/.-]$/;

// Not before a letter, a unit sign or a further number group: "8-10°C" and "1/2/3" are not dates.
const END = String.raw`(?![\p{L}\p{M}\p{N}°%‰$€]|[.,/-]\d)`;
const FULL_DATE = new RegExp(String.raw`(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})${END}`, 'uy');
const DAY_RANGE = new RegExp(String.raw`(\d{1,2})[ \t]*[-–][ \t]*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?${END}`, 'uy');
const DAY_MONTH = new RegExp(String.raw`(\d{1,2})([/-])(\d{1,2})${END}`, 'uy');
const MONTH_YEAR = new RegExp(String.raw`(\d{1,2})([/-])(\d{4})${END}`, 'uy');
const MONTH_ALONE = new RegExp(String.raw`(\d{1,2})(?:[ \t]*[-–][ \t]*(\d{1,2}))?${END}`, 'uy');
const DATE_RANGE_DASH = /[ \t]*[-–][ \t]*/y;

export function dateRule(dialect: NumberDialect): Rule {
  const day = (value: string) => readCardinal(value, dialect);
  const month = (value: string) => readMonth(Number(value), dialect);
  const year = (value: string) => readCardinal(value, dialect);

  const fullDate = (text: string, at: number): RuleMatch | null => {
    const found = matchAt(FULL_DATE, text, at);
    if (!found || !isDayMonth(found[1]!, found[3]!)) return null;
    const [, d = '', , m = '', y = ''] = found;
    const flags = realDate(Number(d), Number(m), Number(y)) ? [] : [flagWhole(found[0].length, 'invalid-date', 'no such day in that month; check the date')];
    let spoken = `${day(d)} tháng ${month(m)} năm ${year(y)}`;
    let length = found[0].length;
    const dash = matchAt(DATE_RANGE_DASH, text, at + length);
    const until = dash ? matchAt(FULL_DATE, text, at + length + dash[0].length) : null;
    if (dash && until && isDayMonth(until[1]!, until[3]!)) {
      spoken += ` đến ngày ${day(until[1]!)} tháng ${month(until[3]!)} năm ${year(until[4]!)}`;
      length += dash[0].length + until[0].length;
    }
    const prefix = DAY_WORD_BEFORE.test(text, at) ? '' : 'ngày ';
    return { length, spoken: prefix + spoken, rule: 'date', flags };
  };

  const dayRange = (text: string, at: number): RuleMatch | null => {
    const found = matchAt(DAY_RANGE, text, at);
    if (!found) return null;
    const [, from = '', to = '', m = '', y] = found;
    if (!isDayMonth(from, m) || !isDayMonth(to, m) || Number(from) >= Number(to)) return null;
    const prefix = DAY_WORD_BEFORE.test(text, at) ? '' : 'ngày ';
    const spoken = `${prefix}${day(from)} đến ${day(to)} tháng ${month(m)}${y ? ` năm ${year(y)}` : ''}`;
    return { length: found[0].length, spoken, rule: 'date.range' };
  };

  const monthYear = (text: string, at: number): RuleMatch | null => {
    const found = matchAt(MONTH_YEAR, text, at);
    if (!found) return null;
    const [written, m = '', separator, y = ''] = found;
    const validMonth = isMonth(m);
    if (MONTH_WORD_BEFORE.test(text, at)) {
      return validMonth ? { length: written.length, spoken: `${month(m)} năm ${year(y)}`, rule: 'date.month' } : null;
    }
    if (separator !== '/') return null;
    if (NUMBER_WORD_BEFORE.test(text, at) || !validMonth) {
      return { length: written.length, spoken: `${readCardinal(m, dialect)} năm ${year(y)}`, rule: 'number.year' };
    }
    return { length: written.length, spoken: `tháng ${month(m)} năm ${year(y)}`, rule: 'date.month' };
  };

  const dayMonth = (text: string, at: number): RuleMatch | null => {
    const found = matchAt(DAY_MONTH, text, at);
    if (!found) return null;
    const [written, d = '', separator, m = ''] = found;
    const dateContext = DATE_WORD_BEFORE.test(text, at);
    if (separator === '-') {
      // "5-7" with no date word is a range; "30-4" cannot be one, so it is a date, written with a dash.
      const dashedDateContext = DASHED_DATE_WORD_BEFORE.test(text, at);
      if (!isDayMonth(d, m) || (!dashedDateContext && Number(m) > Number(d))) return null;
      const flags = dashedDateContext ? [] : [flagWhole(written.length, 'ambiguous-date', `read as a date ("${day(d)} tháng ${month(m)}"); write "ngày ${written}" to confirm`)];
      return withDateRange(text, at, written.length, `${day(d)} tháng ${month(m)}`, flags);
    }
    const roundTheClock = d === '24' && (m === '24' || m === '7') && !dateContext;
    if (roundTheClock || ADDRESS_WORD_BEFORE.test(text, at)) {
      return { length: written.length, spoken: `${readCardinal(d, dialect)} trên ${readCardinal(m, dialect)}`, rule: 'number.per' };
    }
    const fraction = { length: written.length, spoken: `${readCardinal(d, dialect)} phần ${readCardinal(m, dialect)}`, rule: 'fraction' };
    if (followedBy(text, at + written.length, FRACTION_WORD_AFTER) || FRACTION_WORD_BEFORE.test(text, at) || !isDayMonth(d, m)) {
      const flags = dateContext && !isDayMonth(d, m) ? [flagWhole(written.length, 'invalid-date', 'not a valid day and month; read as a fraction')] : [];
      return { ...fraction, flags };
    }
    // With no word to decide, only a proper fraction (2/3, 1/4) is in doubt; 30/4 cannot be one.
    const flags =
      dateContext || Number(d) >= Number(m)
        ? []
        : [flagWhole(written.length, 'ambiguous-date', `read as a date ("${day(d)} tháng ${month(m)}"); write "ngày ${written}" for a date or "${d} phần ${m}" for a fraction`)];
    return withDateRange(text, at, written.length, `${day(d)} tháng ${month(m)}`, flags);
  };

  /** "20/11 - 25/11" → "hai mươi tháng mười một đến hai mươi lăm tháng mười một". */
  const withDateRange = (text: string, at: number, length: number, spoken: string, flags: readonly RuleFlag[]): RuleMatch => {
    const dash = matchAt(DATE_RANGE_DASH, text, at + length);
    const until = dash ? matchAt(DAY_MONTH, text, at + length + dash[0].length) : null;
    if (dash && until && until[2] === '/' && isDayMonth(until[1]!, until[3]!)) {
      return {
        length: length + dash[0].length + until[0].length,
        spoken: `${spoken} đến ${day(until[1]!)} tháng ${month(until[3]!)}`,
        rule: 'date.range',
        flags,
      };
    }
    return { length, spoken, rule: 'date', flags };
  };

  const monthAlone = (text: string, at: number): RuleMatch | null => {
    if (!MONTH_WORD_BEFORE.test(text, at)) return null;
    const found = matchAt(MONTH_ALONE, text, at);
    if (!found || !isMonth(found[1]!)) return null;
    const until = found[2];
    if (until !== undefined) {
      if (!isMonth(until) || Number(until) <= Number(found[1])) return null;
      return { length: found[0].length, spoken: `${month(found[1]!)} đến tháng ${month(until)}`, rule: 'date.month' };
    }
    return { length: found[0].length, spoken: month(found[1]!), rule: 'date.month' };
  };

  return {
    name: 'date',
    startsOn: ['digit'],
    match(text, at): RuleMatch | null {
      if (CONTINUES.test(text.slice(Math.max(0, at - 2), at))) return null;
      return fullDate(text, at) ?? dayRange(text, at) ?? monthYear(text, at) ?? dayMonth(text, at) ?? monthAlone(text, at);
    },
  };
}

function isMonth(value: string): boolean {
  const month = Number(value);
  return month >= 1 && month <= 12;
}

function isDayMonth(day: string, month: string): boolean {
  const dayNumber = Number(day);
  return dayNumber >= 1 && dayNumber <= 31 && isMonth(month);
}

function realDate(day: number, month: number, year: number): boolean {
  const fullYear = year < 100 ? 2000 + year : year;
  const lastDay = new Date(Date.UTC(fullYear, month, 0)).getUTCDate();
  return day <= lastDay;
}
