/**
 * Symbols: formatting marks and emoji an engine would read aloud ("sao", "thăng") are dropped;
 * symbols with a meaning are said ("&" → "và", "≥" → "lớn hơn hoặc bằng"); a slash is "một" after
 * money ("đồng/người" → "đồng một người"), "trên" between units, a pause between words; anything
 * else is kept and flagged.
 */
import type { Rule, RuleMatch } from '../rule.js';
import { flagWhole, oneOf } from '../rule.js';
import { codePointAt, isWordCharacter, matchAt } from '../text-context.js';
import { PER_WORDS, UNIT_AFTER_SLASH, UNITS } from '../units.js';

const DROPPED = /(?:[*#_~^`]|[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u20E3])+/uy;
const DROPPED_CHARACTER = /^(?:[*#_~^`]|[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u20E3])$/u;

export function isDroppedCharacter(character: string): boolean {
  return DROPPED_CHARACTER.test(character);
}

const SAID: readonly (readonly [RegExp, string])[] = [
  [/>=|≥/y, 'lớn hơn hoặc bằng'],
  [/<=|≤/y, 'nhỏ hơn hoặc bằng'],
  [/~(?=[ \t]*\d)/y, 'khoảng'],
  [/≈/y, 'khoảng'],
  [/&/y, 'và'],
  [/=/y, 'bằng'],
  [/>/y, 'lớn hơn'],
  [/</y, 'nhỏ hơn'],
  [/±/y, 'cộng trừ'],
  [/×/y, 'nhân'],
  [/÷/y, 'chia'],
  [/\+/y, 'cộng'],
  [/%/y, 'phần trăm'],
  [/‰/y, 'phần nghìn'],
  [/°/y, 'độ'],
];

const SAID_FIRST_CHARACTERS = new Set('><≥≤~≈&=±×÷+%‰°');

/** Said, dropped, or left for the slash and pause rules. */
export function symbolRule(): Rule {
  return {
    name: 'symbol',
    startsOn: ['other'],
    startsOnOther: (character) => SAID_FIRST_CHARACTERS.has(character) || DROPPED_CHARACTER.test(character),
    match(text, at): RuleMatch | null {
      if (SAID_FIRST_CHARACTERS.has(text[at]!)) {
        for (const [pattern, spoken] of SAID) {
          const found = matchAt(pattern, text, at);
          if (found) return { length: found[0].length, spoken };
        }
      }
      const dropped = matchAt(DROPPED, text, at);
      return dropped ? { length: dropped[0].length, spoken: '', rule: 'symbol.dropped' } : null;
    },
  };
}

const WORD_BEFORE_SLASH = /[\p{L}\p{M}°²³%$€]+$/u;
const WORD_AFTER_SLASH = /[\p{L}\p{M}]+/uy;
/** What is counted per: "3 lần/tuần", "20.000đ/hộ/tháng". */
const COUNTED_NOUNS = new Set(['ngày', 'tháng', 'năm', 'tuần', 'giờ', 'phút', 'quý', 'vụ', 'đợt', 'lần', 'lượt', 'người', 'hộ', 'khẩu', 'suất', 'con', 'cây', 'chiếc', 'xe']);

/**
 * A slash the number rules left: "per" after money or before a unit or a counted noun ("một",
 * or "trên" for a measure over a measure), "trên" next to a digit, otherwise a pause ("ông/bà").
 */
export function slashRule(): Rule {
  return {
    name: 'per-unit',
    startsOn: ['other'],
    startsOnOther: oneOf('/'),
    match(text, at): RuleMatch | null {
      const left = WORD_BEFORE_SLASH.exec(text.slice(Math.max(0, at - 12), at))?.[0] ?? '';
      const right = matchAt(WORD_AFTER_SLASH, text, at + 1)?.[0] ?? '';
      const rightIsDigit = /\d/.test(text[at + 1] ?? '');
      const leftUnit = UNITS.get(left);
      const rightUnitFound = matchAt(UNIT_AFTER_SLASH, text, at + 1);
      const rightUnit = rightUnitFound ? UNITS.get(rightUnitFound[1]!) : undefined;
      const perWord = PER_WORDS.get(right);
      const isMoney = leftUnit?.kind === 'currency' || leftUnit?.kind === 'magnitude';
      const countsPer = left !== '' && !rightIsDigit && (rightUnit !== undefined || perWord !== undefined || COUNTED_NOUNS.has(right));
      if (isMoney || countsPer) {
        // Money is "per" in everyday speech ("năm mươi nghìn đồng một ki lô gam"); a measure over a
        // measure is a rate ("tạ trên héc ta", "người trên ki lô mét vuông").
        const word = !isMoney && rightUnit?.kind === 'measure' ? 'trên' : 'một';
        if (rightUnitFound && rightUnit) return { length: 1 + rightUnitFound[0].length, spoken: `${word} ${rightUnit.spoken}`, rule: 'per-unit' };
        if (perWord) return { length: 1 + right.length, spoken: `${word} ${perWord}`, rule: 'per-unit' };
        return { length: 1, spoken: word, rule: 'per-unit' };
      }
      if (rightIsDigit || /\d/.test(text[at - 1] ?? '')) return { length: 1, spoken: 'trên', rule: 'per-unit' };
      // The space only before a word: ", " before a dash would make the " - " a second pass turns into a pause.
      return { length: 1, spoken: isWordCharacter(codePointAt(text, at + 1)) ? ', ' : ',', rule: 'pause.slash' };
    },
  };
}

const SILENT_PUNCTUATION = /[.,!?;:()[\]{}"'«»“”‘’„‟‹›\-–—…/。、！？；：（）]/u;

/** Last resort for a symbol no rule reads: left in place and shown to the official. */
export function unknownSymbolRule(): Rule {
  return {
    name: 'symbol',
    startsOn: ['other'],
    startsOnOther: (character) => /[\p{S}\p{P}]/u.test(character) && !SILENT_PUNCTUATION.test(character),
    match(text, at): RuleMatch | null {
      const character = codePointAt(text, at);
      if (!/[\p{S}\p{P}]/u.test(character) || SILENT_PUNCTUATION.test(character)) return null;
      return { length: character.length, spoken: character, flags: [flagWhole(character.length, 'symbol', `"${character}" may be read aloud or skipped by the engine`)] };
    },
  };
}
