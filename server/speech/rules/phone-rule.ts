/**
 * Telephone numbers, read digit by digit in the groups they are written in, with a pause between
 * groups: "0912 345 678" → "không chín một hai, ba bốn năm, sáu bảy tám". Recognised by shape
 * (a leading 0 or +84 and ten or eleven digits), by a word before them ("gọi 113", "đường dây nóng
 * 1900 1234"), or as a 1800/1900 service number.
 */
import type { Rule, RuleMatch } from '../rule.js';
import { oneOf } from '../rule.js';
import { readDigits } from '../spoken-numbers.js';
import { isWordCharacter, matchAt } from '../text-context.js';
import { WordsBefore } from '../words-before.js';

const GROUP = /\d+/y;
const SEPARATOR = /[ .-]/y;
const NATIONAL_DIGITS = new Set([10, 11]);

/** Words after which any run of digit groups is a number to dial. */
const PHONE_WORD_BEFORE = new WordsBefore(
  ['điện thoại', 'số điện thoại', 'đt', 'sđt', 'hotline', 'đường dây nóng', 'tổng đài', 'số máy', 'fax', 'di động'],
  { connectors: ['số'], colon: true },
);
/** Emergency numbers are only phone numbers next to words like these: "113 hộ" is a quantity. */
const EMERGENCY_WORD_BEFORE = new WordsBefore(
  ['gọi', 'gọi ngay', 'gọi điện', 'gọi số', 'qua số', 'đến số', 'tới số', 'cho số', 'báo', 'cấp cứu', 'cứu thương', 'cứu hỏa', 'cứu hoả', 'chữa cháy', 'cảnh sát', 'công an', 'khẩn cấp', 'cứu nạn', 'cứu hộ'],
  { connectors: ['đến', 'tới', 'qua', 'cho', 'số'], colon: true },
);
const EMERGENCY_NUMBER = /(?:11[1-5]|1022)(?![\p{L}\p{M}\p{N}]|[.,]\d)/uy;
/** "gọi 113, 114, 115": the later numbers of a list whose first was read as one. */
const AFTER_EMERGENCY_NUMBER = /(?<!\d)(11[1-5]|1022)[ \t]*(?:,|;|hoặc|và)[ \t]*$/u;
const MAX_LIST_LENGTH = 5;
const SERVICE_NUMBER = /(?:1800|1900)(?:[ .]?\d{4})(?:[ .]?\d{2})?(?![\p{L}\p{M}\p{N}]|[.,]\d)/uy;

export function phoneRule(): Rule {
  return {
    name: 'phone',
    startsOn: ['digit', 'other'],
    startsOnOther: oneOf('+'),
    match(text, at): RuleMatch | null {
      const lead = text[at];
      if (lead === '+') return international(text, at);
      if (!/\d/.test(lead ?? '')) return null;
      const emergency = matchAt(EMERGENCY_NUMBER, text, at);
      if (emergency && isEmergencyContext(text, at, MAX_LIST_LENGTH)) return spoken(emergency[0].length, [emergency[0]]);
      const service = matchAt(SERVICE_NUMBER, text, at);
      if (service) return spoken(service[0].length, service[0].split(/[ .]/));
      const afterPhoneWord = PHONE_WORD_BEFORE.test(text, at);
      if (!afterPhoneWord && lead !== '0') return null;
      const groups = digitGroups(text, at);
      if (afterPhoneWord) {
        const chosen = [...groups].reverse().find((candidate) => NATIONAL_DIGITS.has(candidate.digits)) ?? groups.at(-1);
        if (chosen && chosen.digits >= 3 && chosen.digits <= 12) return spoken(chosen.end - at, chosen.groups);
      }
      if (lead !== '0') return null;
      const national = [...groups].reverse().find((candidate) => NATIONAL_DIGITS.has(candidate.digits));
      return national ? spoken(national.end - at, national.groups) : null;
    },
  };
}

/** After a word like "gọi", or after an emergency number that is itself in such a list. */
function isEmergencyContext(text: string, at: number, listLength: number): boolean {
  if (EMERGENCY_WORD_BEFORE.test(text, at)) return true;
  const window = text.slice(Math.max(0, at - 16), at);
  const previous = listLength > 0 ? AFTER_EMERGENCY_NUMBER.exec(window) : null;
  return previous !== null && isEmergencyContext(text, at - window.length + previous.index, listLength - 1);
}

/** "+84 912 345 678" → "cộng tám tư, chín một hai, …". */
function international(text: string, at: number): RuleMatch | null {
  if (!text.startsWith('+84', at)) return null;
  const rest = at + 3;
  const separator = matchAt(SEPARATOR, text, rest);
  const groups = digitGroups(text, rest + (separator ? 1 : 0));
  const national = [...groups].reverse().find((candidate) => NATIONAL_DIGITS.has(candidate.digits + 1));
  if (!national) return null;
  const reading = spoken(national.end - at, national.groups);
  return { ...reading, spoken: `cộng tám tư, ${reading.spoken}` };
}

interface Candidate {
  readonly end: number;
  readonly digits: number;
  readonly groups: readonly string[];
}

/**
 * Every way of reading digit groups from `at` that ends cleanly, shortest first: "0912 345 678 15"
 * offers both the ten-digit number and the longer run, and the caller picks.
 */
function digitGroups(text: string, at: number): Candidate[] {
  const candidates: Candidate[] = [];
  const groups: string[] = [];
  let position = at;
  let digits = 0;
  for (;;) {
    const group = matchAt(GROUP, text, position);
    if (!group || group[0].length > 11) break;
    groups.push(group[0]);
    digits += group[0].length;
    position += group[0].length;
    if (digits > 13) break;
    // A candidate may not end inside a word ("0912abc") or before a decimal comma.
    if (!isWordCharacter(text[position]) && !/^,\d/.test(text.slice(position, position + 2))) {
      candidates.push({ end: position, digits, groups: [...groups] });
    }
    const separator = matchAt(SEPARATOR, text, position);
    if (!separator || !/\d/.test(text[position + 1] ?? '')) break;
    position += 1;
  }
  return candidates;
}

function spoken(length: number, groups: readonly string[]): RuleMatch {
  const readable = groups.length === 1 ? regroup(groups[0]!) : groups;
  return { length, spoken: readable.map(readDigits).join(', '), rule: 'phone' };
}

/** An unbroken "0912345678" is said in the usual 4-3-3 (or 4-4-3 for landlines) groups. */
function regroup(digits: string): readonly string[] {
  if (digits.length === 10) return [digits.slice(0, 4), digits.slice(4, 7), digits.slice(7)];
  if (digits.length === 11) return [digits.slice(0, 4), digits.slice(4, 8), digits.slice(8)];
  return [digits];
}
