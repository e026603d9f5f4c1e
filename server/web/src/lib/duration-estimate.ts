/**
 * How long a Vietnamese text takes to say, estimated while the official types (the rendered audio
 * gives the real figure once they press "Listen").
 *
 * Vietnamese is monosyllabic and writes a space between syllables, so speaking time is close to
 * linear in the syllable count, plus the pauses punctuation makes. What is written is not always
 * what is said: the server reads numbers, dates, times, units and abbreviations out in words
 * (server/speech/), so those are counted as the syllables they become ("15/11/2026" is fourteen:
 * "ngày mười lăm tháng mười một năm hai nghìn không trăm hai mươi sáu").
 *
 * Calibration (espeak-ng `vi` at 150 words per minute for rate 1, the server's default engine):
 * ten bulletins from 2 to 101 syllables, from plain lists to dates, times, numbers, percentages and
 * abbreviations, each rendered through POST /api/tts/preview at speaking rates 0.54, 0.75, 1,
 * 1.25, 1.5, 2, 2.5 and 3, and the returned `audio.durationMs` fitted by least squares on relative
 * error. For example "Kính thưa bà con, chiều nay xã tổ chức tiêm phòng cho gia súc." measured
 * 4 495 ms at rate 1, 2 988 ms at 1.5 and 1 413 ms at 3; a 101-syllable notice measured 29 090 ms
 * at rate 1. The fit (mean error 3 %, worst 11 % on a two-word text at rate 3):
 *   - every syllable takes 250 ms / rate;
 *   - a comma-like pause takes 457 ms × (1/rate − 0.4), a sentence end 681 ms × (1/rate − 0.35):
 *     espeak-ng shortens pauses faster than syllables as it speeds up, and drops them entirely
 *     from about rate 2.5;
 *   - the file carries 113 ms + 631 ms / rate of lead-in and tail.
 * Google's voices pace differently, but the estimate is only a guide until the preview measures it.
 * test/unit/web/duration-estimate.test.ts keeps a sample of the measurements.
 */

export interface SpeechFeatures {
  /** Syllables as spoken, after numbers, dates, units and abbreviations are read out. */
  readonly syllables: number;
  /** Commas, semicolons, colons, brackets, dashes: a short breath. */
  readonly minorPauses: number;
  /** Sentence ends and line breaks between sentences (not the one ending the text). */
  readonly majorPauses: number;
}

const MS_PER_SYLLABLE = 250;
const MINOR_PAUSE_MS = 457;
const MINOR_PAUSE_FLOOR = 0.4;
const MAJOR_PAUSE_MS = 681;
const MAJOR_PAUSE_FLOOR = 0.35;
const FIXED_MS = 113;
const FIXED_PER_RATE_MS = 631;

/** Estimated spoken duration in milliseconds; 0 for a text with nothing to say. */
export function estimateSpeechMs(text: string, speakingRate = 1): number {
  const features = speechFeatures(text);
  if (features.syllables === 0) return 0;
  const rate = Number.isFinite(speakingRate) && speakingRate > 0 ? speakingRate : 1;
  const perRate = 1 / rate;
  const ms =
    (MS_PER_SYLLABLE * features.syllables) / rate +
    MINOR_PAUSE_MS * Math.max(0, perRate - MINOR_PAUSE_FLOOR) * features.minorPauses +
    MAJOR_PAUSE_MS * Math.max(0, perRate - MAJOR_PAUSE_FLOOR) * features.majorPauses +
    FIXED_MS +
    FIXED_PER_RATE_MS * perRate;
  return Math.round(ms);
}

// One token at a time: a date, a time, a number (with its unit or %), a word, or punctuation.
const TOKEN = new RegExp(
  [
    String.raw`(?<date>\d{1,2}/\d{1,2}(?:/\d{2,4})?)`,
    String.raw`(?<time>\d{1,2}(?:h|g|:)\d{2}(?:'|p|ph|phút)?|\d{1,2}h(?![\p{L}]))`,
    String.raw`(?<range>\d+(?:[.,]\d+)*\s?[-–]\s?\d+(?:[.,]\d+)*)(?<rangeUnit>\s?(?:%|°C|°|[\p{L}]+(?:/[\p{L}]+)?))?`,
    String.raw`(?<number>\d+(?:[.,]\d+)*)(?<unit>\s?(?:%|°C|°|[\p{L}]+(?:/[\p{L}]+)?))?`,
    String.raw`(?<word>[\p{L}\p{M}]+(?:['’][\p{L}]+)?)`,
    String.raw`(?<major>[.!?…]+|\n\s*)`,
    String.raw`(?<minor>[,;:()\[\]–—]|\s-\s)`,
  ].join('|'),
  'gu',
);

export function speechFeatures(text: string): SpeechFeatures {
  let syllables = 0;
  let minorPauses = 0;
  let majorPauses = 0;
  let lastWord = '';
  // A pause counts only between spoken words: punctuation at the very end (or doubled) adds nothing.
  let pending: 'minor' | 'major' | null = null;
  const say = (count: number) => {
    if (count <= 0) return;
    if (pending === 'minor') minorPauses++;
    if (pending === 'major') majorPauses++;
    pending = null;
    syllables += count;
  };
  const pause = (kind: 'minor' | 'major') => {
    if (syllables === 0) return;
    if (kind === 'major' || pending === null) pending = kind;
  };
  for (const match of text.normalize('NFC').matchAll(TOKEN)) {
    const g = match.groups ?? {};
    if (g.date) say(dateSyllables(g.date) + (isFullDate(g.date) && lastWord !== 'ngày' ? 1 : 0));
    else if (g.time) say(timeSyllables(g.time));
    else if (g.range) say(rangeSyllables(g.range) + unitSyllables(g.rangeUnit?.trim() ?? ''));
    else if (g.number) {
      say(numberSyllables(g.number) + unitSyllables(g.unit?.trim() ?? ''));
      // Read in groups, "không chín một hai, ba bốn năm, sáu bảy tám": two breaths inside.
      if (isPhoneNumber(g.number)) minorPauses += 2;
    } else if (g.word) say(wordSyllables(g.word));
    else if (g.major) pause('major');
    else if (g.minor) pause('minor');
    lastWord = g.word ? g.word.toLowerCase() : '';
  }
  return { syllables, minorPauses, majorPauses };
}

/** "15/11/2026" → "mười lăm tháng mười một năm hai nghìn không trăm hai mươi sáu". */
function dateSyllables(date: string): number {
  const [day = '', month = '', year] = date.split('/');
  return integerSyllables(day) + 1 + integerSyllables(month) + (year ? 1 + integerSyllables(year) : 0);
}

/** A date with its year is read with "ngày" before it, unless the text says "ngày" already. */
function isFullDate(date: string): boolean {
  return date.split('/').length === 3;
}

/** A Vietnamese phone number: ten or eleven digits from a leading 0, however grouped. */
function isPhoneNumber(written: string): boolean {
  const digits = written.replace(/\D/g, '');
  return digits.startsWith('0') && digits.length >= 10 && digits.length <= 11;
}

/** "7h30", "07:30" → "bảy giờ ba mươi phút"; "7h" → "bảy giờ". */
function timeSyllables(time: string): number {
  const [hours = '', minutes] = time.split(/h|g|:/);
  const minuteDigits = minutes?.replace(/\D/g, '') ?? '';
  const saysMinutes = minuteDigits !== '' && Number(minuteDigits) > 0;
  return integerSyllables(hours) + 1 + (saysMinutes ? integerSyllables(minuteDigits) + 1 : 0);
}

/** "10-20" → "mười đến hai mươi". */
function rangeSyllables(range: string): number {
  const [from = '', to = ''] = range.split(/\s?[-–]\s?/);
  return numberSyllables(from) + 1 + numberSyllables(to);
}

/**
 * A written number: "1.500.000" (dots group thousands), "3,5" (comma is the decimal mark),
 * "0912345678" (a leading zero is read digit by digit, as phone numbers are).
 */
function numberSyllables(written: string): number {
  const digits = written.replace(/\D/g, '');
  if (digits.length === 0) return 0;
  if ((digits.startsWith('0') && digits.length > 2) || digits.length > 15) return digits.length;
  const decimal = /^(\d+),(\d+)$/.exec(written);
  if (decimal) return integerSyllables(decimal[1]!) + 1 + integerSyllables(decimal[2]!);
  return integerSyllables(digits);
}

/** Syllables of a whole number read the northern way ("một nghìn không trăm linh năm"). */
function integerSyllables(digits: string): number {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(trimmed)) return 1;
  const groups: string[] = [];
  for (let end = trimmed.length; end > 0; end -= 3) groups.unshift(trimmed.slice(Math.max(0, end - 3), end));
  let count = 0;
  groups.forEach((group, index) => {
    const value = Number(group);
    if (value === 0) return;
    const leading = index === 0;
    count += groupSyllables(value, !leading);
    if (index < groups.length - 1) count += 1; // nghìn, triệu, tỷ
  });
  return count;
}

/** Up to three digits: "không trăm linh năm" when it follows a higher group. */
function groupSyllables(value: number, padded: boolean): number {
  const hundreds = Math.floor(value / 100);
  const tens = Math.floor((value % 100) / 10);
  const units = value % 10;
  let count = 0;
  const saysHundreds = hundreds > 0 || padded;
  if (saysHundreds) count += 2;
  if (tens >= 2) count += 2;
  else if (tens === 1) count += 1;
  else if (units > 0 && saysHundreds) count += 1; // linh
  if (units > 0) count += 1;
  return count;
}

// Units as the server reads them out (server/speech/units.ts); anything else is a word of its own.
const UNIT_SYLLABLES: Readonly<Record<string, number>> = {
  '%': 2,
  '°C': 2,
  '°': 1,
  mm: 3,
  cm: 3,
  km: 3,
  m: 1,
  m2: 3,
  kg: 3,
  g: 1,
  ha: 2,
  l: 1,
  ml: 3,
  đ: 1,
  vnđ: 3,
  'km/h': 5,
};

function unitSyllables(unit: string): number {
  if (unit === '') return 0;
  const known = UNIT_SYLLABLES[unit] ?? UNIT_SYLLABLES[unit.toLowerCase()];
  if (known !== undefined) return known;
  return unit.split('/').reduce((sum, part) => sum + wordSyllables(part), 0);
}

// A Vietnamese syllable: an optional initial consonant, one to three vowels, an optional final.
const VIETNAMESE_SYLLABLE =
  /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ]{1,3}(?:ng|nh|ch|[cmnpt])?$/u;

/**
 * One syllable, unless it is an abbreviation in capitals that no Vietnamese syllable spells
 * ("UBND" → "ủy ban nhân dân", "HĐND", "THCS"): those take about one syllable per letter, read
 * out or expanded alike. "THÔNG BÁO" in capitals is still two syllables.
 */
function wordSyllables(word: string): number {
  const isCapitals = word.length >= 2 && word === word.toUpperCase() && word !== word.toLowerCase();
  if (isCapitals && !VIETNAMESE_SYLLABLE.test(word.toLowerCase())) return word.length;
  return 1;
}
