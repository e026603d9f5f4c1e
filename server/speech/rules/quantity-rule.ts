/**
 * Numbers with what follows them: units ("15 km", "12,5%", "30°C"), money ("50.000đ", "$100",
 * "5tr"), dimensions ("3x4 m") and ranges ("5-7 ngày" → "năm đến bảy ngày", "20-25°C").
 */
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule, RuleFlag, RuleMatch } from '../rule.js';
import { flagWhole, oneOf } from '../rule.js';
import { matchAt } from '../text-context.js';
import { mayStartUnit, UNIT_AFTER_NUMBER, UNITS, type UnitReading } from '../units.js';
import { parseWrittenNumber, speakNumber, type WrittenNumber } from '../written-number.js';

interface Term {
  readonly numbers: readonly WrittenNumber[];
  readonly unit: UnitReading | null;
  readonly unitWritten: string;
  readonly end: number;
}

const DIMENSION = /[ \t]*[x×][ \t]*(?=\d)/y;
const RANGE_DASH = /[ \t]*[-–][ \t]*(?=\d)/y;
const BOUNDARY = /(?![\p{L}\p{M}\p{N}])/uy;
const TEMPERATURE = new Set(['°C', 'ºC', 'oC', '°F', '°', 'độ', 'độ C']);

export function quantityRule(dialect: NumberDialect): Rule {
  return {
    name: 'number',
    startsOn: ['digit', 'other'],
    startsOnOther: oneOf('$-−'),
    match(text, at) {
      const lead = text[at];
      if (lead === '$') return dollarsFirst(text, at, dialect);
      if (lead === '-' || lead === '−') return negativeTemperature(text, at, dialect);
      if (!/\d/.test(lead ?? '')) return null;
      const first = readTerm(text, at);
      if (!first) return null;
      // A number too long to read stays as written, flagged; whatever follows it is read on its own,
      // so that no change writes its digits into the spoken text.
      if (hasUnreadable(first, dialect)) return numberAlone(first.numbers[0]!, at, dialect);
      const range = readRange(text, first);
      if (range && endsCleanly(text, range.second.end)) {
        return hasUnreadable(range.second, dialect) ? numberAlone(first.numbers[0]!, at, dialect) : speakRange(text, at, first, range.second, dialect);
      }
      if (endsCleanly(text, first.end)) return speakTerm(text, at, first, dialect);
      // "1.500abc": the digits before the dot are still a number; the glued "500abc" is left to be flagged.
      // Reading them now is what a second pass would do, so the result stays stable.
      const digits = readTerm(text, at, true);
      return digits && endsCleanly(text, digits.end) ? speakTerm(text, at, digits, dialect) : null;
    },
  };
}

function readTerm(text: string, at: number, digitsOnly = false): Term | null {
  const first = parseWrittenNumber(text, at, digitsOnly);
  if (!first) return null;
  const numbers = [first];
  let end = first.end;
  for (let dimension = digitsOnly ? null : matchAt(DIMENSION, text, end); dimension; dimension = matchAt(DIMENSION, text, end)) {
    const next = parseWrittenNumber(text, end + dimension[0].length);
    if (!next) break;
    numbers.push(next);
    end = next.end;
  }
  const unitFound = mayStartUnit(text, end) ? matchAt(UNIT_AFTER_NUMBER, text, end) : null;
  const unitWritten = unitFound?.[1] ?? '';
  return { numbers, unit: unitFound ? UNITS.get(unitWritten) ?? null : null, unitWritten, end: unitFound ? end + unitFound[0].length : end };
}

function readRange(text: string, first: Term) {
  if (first.numbers.length !== 1) return null;
  const dash = matchAt(RANGE_DASH, text, first.end);
  if (!dash) return null;
  const second = readTerm(text, first.end + dash[0].length);
  if (!second || second.numbers.length !== 1) return null;
  const low = first.numbers[0]!.value;
  const high = second.numbers[0]!.value;
  const unitsAgree = !first.unit || !second.unit || first.unitWritten === second.unitWritten;
  return low < high && unitsAgree ? { second } : null;
}

function hasUnreadable(term: Term, dialect: NumberDialect): boolean {
  return term.numbers.some((number) => speakNumber(number, dialect, term.unit !== null).spoken === number.written);
}

/** The leading number by itself, as a bare number is read (or kept, and flagged, when it cannot be). */
function numberAlone(number: WrittenNumber, at: number, dialect: NumberDialect): RuleMatch {
  const spoken = speakNumber(number, dialect, false);
  return { length: number.end - at, spoken: spoken.spoken, rule: spoken.rule, flags: spoken.flags.map((flag) => ({ ...flag, offset: flag.offset + number.start - at })) };
}

function endsCleanly(text: string, end: number): boolean {
  return matchAt(BOUNDARY, text, end) !== null;
}

function speakTerm(text: string, at: number, term: Term, dialect: NumberDialect, prefix = ''): RuleMatch {
  const flags: RuleFlag[] = [];
  const spokenNumbers = term.numbers.map((number) => {
    const spoken = speakNumber(number, dialect, term.unit !== null);
    flags.push(...spoken.flags.map((flag) => ({ ...flag, offset: flag.offset + number.start - at })));
    return spoken;
  });
  const numberWords = spokenNumbers.map((spoken) => spoken.spoken).join(' nhân ');
  const unitWords = term.unit ? ` ${term.unit.spoken}` : '';
  return {
    length: term.end - at,
    spoken: `${prefix}${numberWords}${unitWords}`,
    rule: ruleFor(term.unit) ?? spokenNumbers[0]?.rule ?? 'number',
    flags,
  };
}

function speakRange(text: string, at: number, first: Term, second: Term, dialect: NumberDialect): RuleMatch {
  const low = speakTerm(text, at, first, dialect);
  const high = speakTerm(text, at, second, dialect);
  const flags = [...(low.flags ?? []), ...(high.flags ?? [])];
  const lowValue = first.numbers[0]!.value;
  const highValue = second.numbers[0]!.value;
  const couldBeDate = !first.unit && !second.unit && Number.isInteger(lowValue) && lowValue >= 1 && lowValue <= 31 && highValue <= 12;
  if (couldBeDate && !/^[ \t]*[\p{L}]/u.test(text.slice(second.end, second.end + 3))) {
    const written = text.slice(at, second.end);
    flags.push(flagWhole(second.end - at, 'ambiguous-date', `read as a range ("${low.spoken} đến ${high.spoken}"); if it is a date, write "ngày ${written}"`));
  }
  // A unit written only after the second number belongs to both: "5-7 km".
  return { length: second.end - at, spoken: `${low.spoken} đến ${high.spoken}`, rule: 'range', flags };
}

function ruleFor(unit: UnitReading | null): string | null {
  if (!unit) return null;
  if (unit.kind === 'currency' || unit.kind === 'magnitude') return 'money';
  if (unit.kind === 'percent') return 'percent';
  return 'unit';
}

/** "$100" → "một trăm đô la". */
function dollarsFirst(text: string, at: number, dialect: NumberDialect): RuleMatch | null {
  if (!/\d/.test(text[at + 1] ?? '')) return null;
  const term = readTerm(text, at + 1);
  if (!term || term.unit || !endsCleanly(text, term.end) || hasUnreadable(term, dialect)) return null;
  const spoken = speakTerm(text, at, term, dialect);
  return { ...spoken, spoken: `${spoken.spoken} đô la`, rule: 'money' };
}

/** "-5°C" → "âm năm độ xê"; a dash before a number with no temperature unit is left to other rules. */
function negativeTemperature(text: string, at: number, dialect: NumberDialect): RuleMatch | null {
  if (!/\d/.test(text[at + 1] ?? '') || /[\p{L}\p{N}]/u.test(text[at - 1] ?? '')) return null;
  const term = readTerm(text, at + 1);
  if (!term || !TEMPERATURE.has(term.unitWritten) || !endsCleanly(text, term.end) || hasUnreadable(term, dialect)) return null;
  return { ...speakTerm(text, at, term, dialect, 'âm '), rule: 'unit' };
}
