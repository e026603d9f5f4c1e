/**
 * Properties that must hold for any input, not just the sentences in the table: the normaliser
 * never throws, is idempotent on its own output, accounts for every character it changes, and
 * never lets a digit through unread and unflagged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedText } from '../../../server/speech/vietnamese-normalizer.js';
import { normalizeVietnamese } from '../../../server/speech/vietnamese-normalizer.js';
import { applyChanges } from './apply-changes.js';
import { BULLETIN_CASES } from './bulletin-cases.js';

const RUNS = Number(process.env.SPEECH_PROPERTY_RUNS ?? 400);

/** Pieces that make the rules meet: separators next to numbers, abbreviations next to dots, line starts. */
const FRAGMENTS = [
  '0', '1', '2', '5', '9', '12', '24', '113', '2024', '1.500', '1.5', '3,5', '10,000', '0912', '345', '678', '+84', '$',
  '/', '-', '–', '—', '.', ',', ':', ';', '|', '…', '...', ' ', ' ', ' ', '\t', '\n', '\r\n', '\n\n',
  'h', 'g', "'", 'đ', 'k', 'tr', 'km', 'm2', 'm²', '%', '°C', '°', 'x', '×', '~', '&', '≥', '@', '§', '*', '#', '_', '😀', '🇻🇳',
  'ngày', 'tháng', 'thứ', 'số', 'quý', 'khóa', 'điểm', 'gọi', 'từ', 'giảm', 'số nhà', 'của', 'Nghị định', 'Thông tư',
  'NĐ-CP', 'QĐ', 'TTg', 'CT/TW', 'QH15', 'UBND', 'UB', 'ND', 'TP', 'TP.', 'HCM', 'KT.', 'TT', 'v.v', 'V/v', 'BCH', 'PCTT',
  'A', 'B', 'b', 'I', 'V', 'X', 'II', 'IV', 'a)', 'b.', '1.', '2)', 'Ủy', 'xã', 'hộ', 'người', 'VNĐ', 'USD', 'VNeID', 'XYZQ',
  'www.', '.gov', '.vn', 'gmail', 'com', '29A', '30H1', '123.45', 'e', '\u0301', '\u200B', '\uFEFF', '\uD800', 'Đ', 'ĐT',
];

const fragmentText = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(''));
const codeUnitText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 });
const codePointText = fc.string({ unit: 'binary', maxLength: 60 });
const graphemeText = fc.string({ unit: 'grapheme', maxLength: 40 });
const SENTENCES = Object.values(BULLETIN_CASES).flatMap((cases) => cases.map((entry) => entry.input));
const editedSentence = fc
  .tuple(fc.constantFrom(...SENTENCES), fc.nat(), fragmentText)
  .map(([sentence, cut, inserted]) => {
    const at = cut % (sentence.length + 1);
    return sentence.slice(0, at) + inserted + sentence.slice(at);
  });
const anyText = fc.oneof(fragmentText, codeUnitText, codePointText, graphemeText, editedSentence);

/** Digits in the spoken text that no flag accounts for (rule readings never contain digits). */
function unflaggedDigits(input: string, result: NormalizedText): string[] {
  const flaggedAt = (start: number, end: number) => result.flagged.some((flag) => flag.index < end && start < flag.index + Math.max(1, flag.token.length));
  const problems: string[] = [];
  let copiedFrom = 0;
  const checkCopied = (end: number) => {
    for (let index = copiedFrom; index < end; index++) {
      if (/\d/.test(input[index]!) && !flaggedAt(index, index + 1)) problems.push(`digit ${input[index]} at ${index} copied unflagged`);
    }
  };
  for (const change of result.changes) {
    checkCopied(change.index);
    const cleaningOnly = change.rule.startsWith('unicode.');
    if (/\d/.test(change.to) && !(cleaningOnly && flaggedAt(change.index, change.index + change.from.length))) {
      problems.push(`change ${JSON.stringify(change)} writes a digit`);
    }
    copiedFrom = change.index + change.from.length;
  }
  checkCopied(input.length);
  return problems;
}

describe('normalizeVietnamese, for any input', () => {
  it('never throws and always answers in the documented shape', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = normalizeVietnamese(text);
        expect(typeof result.spokenText).toBe('string');
        for (const flag of result.flagged) expect(flag.index).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('is idempotent: its own output needs no further change', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normalizeVietnamese(text).spokenText;
        const twice = normalizeVietnamese(once);
        expect(twice.spokenText).toBe(once);
        expect(twice.changes).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('accounts for every character: applying the changes to the input gives the spoken text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = normalizeVietnamese(text);
        expect(applyChanges(text, result.changes)).toBe(result.spokenText);
        for (const change of result.changes) expect(change.from).not.toBe(change.to);
      }),
      { numRuns: RUNS },
    );
  });

  it('never loses a digit: each is read out by a change or flagged, and none is left unflagged', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = normalizeVietnamese(text);
        for (let index = 0; index < text.length; index++) {
          if (!/\d/.test(text[index]!)) continue;
          const read = result.changes.some((change) => !change.rule.startsWith('unicode.') && change.index <= index && index < change.index + change.from.length);
          const flagged = result.flagged.some((flag) => flag.index <= index && index < flag.index + flag.token.length);
          expect(read || flagged, `digit at ${index} of ${JSON.stringify(text)}`).toBe(true);
        }
        expect(unflaggedDigits(text, result)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('flags tokens with their exact place in the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const flag of normalizeVietnamese(text).flagged) expect(text.slice(flag.index, flag.index + flag.token.length)).toBe(flag.token);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('normalizeVietnamese on hostile sizes', () => {
  it('keeps a run of 100,000 digits as written and flags it', () => {
    const digits = '7'.repeat(100_000);
    const result = normalizeVietnamese(`Số ${digits} hết.`);
    expect(result.spokenText).toBe(`Số ${digits} hết.`);
    expect(result.flagged.map((flag) => [flag.code, flag.index, flag.token.length])).toEqual([['number-too-long', 3, 100_000]]);
  });

  it('handles long runs that could make a pattern quadratic, in linear time', () => {
    const inputs = [
      ' '.repeat(100_000) + '1',
      'a-'.repeat(50_000),
      'a@'.repeat(50_000),
      '1 '.repeat(50_000),
      '1/'.repeat(50_000),
      '1.'.repeat(50_000),
      'x'.repeat(50_000) + '.vn',
      '\n'.repeat(100_000),
      'e\u0301'.repeat(50_000),
      '\u200B'.repeat(100_000),
      `${'\uD800'.repeat(1_000)}${'😀'.repeat(1_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      const result = normalizeVietnamese(input);
      const elapsed = performance.now() - started;
      expect(applyChanges(input, result.changes)).toBe(result.spokenText);
      // A quadratic pattern takes tens of seconds here; a linear one well under one.
      expect(elapsed, JSON.stringify(input.slice(0, 12))).toBeLessThan(10_000);
    }
  });
});
