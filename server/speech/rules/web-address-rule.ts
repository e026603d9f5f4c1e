/**
 * Web and e-mail addresses, read out piece by piece ("dichvucong.gov.vn" → "dichvucong chấm gov
 * chấm vn", "@" → "a còng") and always flagged: whether an engine says "dichvucong" intelligibly
 * depends on the engine, and an official should listen before broadcasting it.
 */
import type { Rule, RuleMatch } from '../rule.js';
import { flagWhole } from '../rule.js';
import { readDigits } from '../spoken-numbers.js';
import { matchAt } from '../text-context.js';

// Bounded by the limits of RFC 5321 and RFC 1035 (64-character local parts, 63-character labels):
// unbounded, each word of "a-a-a-a…" would scan the rest of the text looking for an "@" or a ".vn".
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/y;
const URL_WITH_SCHEME = /(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]{1,2000}/iy;
const BARE_DOMAIN = /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.(?:vn|com|net|org|gov|edu|info|io)(?![\p{L}\p{M}\p{N}])(?:\/[^\s<>"'()[\]{}]{0,2000})?/uy;
/** Cheap test before the patterns: an address has a dot, an "@" or "://" right after its first ASCII label. */
function hasAddressShape(text: string, at: number): boolean {
  for (let index = at; index < at + 65 && index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46 || code === 64 || code === 58) return index > at;
    const isLabelCharacter = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 37 || code === 43 || code === 45;
    if (!isLabelCharacter) return false;
  }
  return false;
}
/** Sentence punctuation after an address belongs to the sentence. */
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

const SEPARATOR_WORDS: Readonly<Record<string, string>> = {
  '.': 'chấm',
  '/': 'gạch chéo',
  '-': 'gạch ngang',
  '_': 'gạch dưới',
  '@': 'a còng',
  ':': 'hai chấm',
  '?': 'chấm hỏi',
  '=': 'bằng',
  '&': 'và',
  '%': 'phần trăm',
  '+': 'cộng',
  '#': 'thăng',
  '~': 'ngã',
};

export function webAddressRule(): Rule {
  return {
    name: 'web-address',
    startsOn: ['word', 'digit'],
    match(text, at): RuleMatch | null {
      const before = text[at - 1] ?? '';
      if (!hasAddressShape(text, at) || /[\p{L}\p{M}\p{N}@.]/u.test(before)) return null;
      const found = matchAt(EMAIL, text, at) ?? matchAt(URL_WITH_SCHEME, text, at) ?? matchAt(BARE_DOMAIN, text, at);
      if (!found) return null;
      const address = found[0].replace(TRAILING_PUNCTUATION, '');
      if (!/[A-Za-z]/.test(address)) return null;
      return {
        length: address.length,
        spoken: speakAddress(address),
        flags: [flagWhole(address.length, 'web-address', 'web or e-mail address read piece by piece; listen to it, or add a dictionary entry')],
      };
    },
  };
}

function speakAddress(address: string): string {
  const withoutScheme = address.replace(/^https?:\/\//i, '').replace(/\/$/, '');
  const words: string[] = [];
  for (const piece of withoutScheme.match(/[\p{L}\p{M}]+|\d+|./gu) ?? []) {
    if (/^\d+$/.test(piece)) words.push(readDigits(piece));
    else if (/^w{3}$/i.test(piece)) words.push('vê kép vê kép vê kép');
    // Lower case: addresses ignore case, and "UBND" left in capitals would be expanded on a second pass.
    else if (/^[\p{L}\p{M}]+$/u.test(piece)) words.push(piece.toLowerCase());
    else words.push(SEPARATOR_WORDS[piece] ?? 'ký hiệu');
  }
  return words.join(' ');
}
