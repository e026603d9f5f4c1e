/**
 * The Vietnamese lunisolar calendar (âm lịch), after Hồ Ngọc Đức's astronomical algorithm
 * ("Thuật toán tính âm lịch", https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html),
 * the one Vietnamese calendar software uses:
 * - a month starts on the local day of a new moon (Meeus' series, truncated);
 * - month 11 is the month containing the winter solstice;
 * - a lunar year with 13 months (11th month to 11th month spans more than 365 days) gets a leap
 *   month: the first month after month 11 that contains no major solar term (trung khí).
 *
 * Days are reckoned at UTC+7, Vietnam's time since 1968; before that Vietnam's calendar used UTC+8,
 * so dates before 1968 can differ by a day from printed calendars of the time (Tết 1968 famously
 * fell on different days in the North and the South). Accurate for roughly 1900–2199.
 */
import { type LocalDate, epochDay, formatLocalDate, fromEpochDay, parseLocalDate } from './local-date.js';

export interface LunarDate {
  /** 1–30 */
  readonly day: number;
  /** 1–12; a leap month carries the number of the month it follows, with `leap` set. */
  readonly month: number;
  /** The solar year in which this lunar year's Tết falls. */
  readonly year: number;
  readonly leap: boolean;
}

/** Hours east of UTC the calendar is computed for. */
export const VIETNAM_CALENDAR_OFFSET_HOURS = 7;

const TZ = VIETNAM_CALENDAR_OFFSET_HOURS;
/** Julian day number of 1970-01-01. */
const JDN_EPOCH = 2_440_588;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1900-01-01, the origin of k in newMoon(k). */
const NEW_MOON_ORIGIN = 2_415_021.076998695;
const INT = Math.floor;

const jdn = (year: number, month: number, day: number) => epochDay(year, month, day) + JDN_EPOCH;
const fromJdn = (n: number): LocalDate => fromEpochDay(n - JDN_EPOCH);

/** Julian day (TT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let C1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  C1 = C1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  C1 = C1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  C1 = C1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  C1 = C1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  C1 = C1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  C1 = C1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT = T < -11 ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3 : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** The sun's apparent longitude (radians, 0–2π) at a Julian day. */
function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  DL = DL + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  const L = (L0 + DL) * dr;
  return L - Math.PI * 2 * INT(L / (Math.PI * 2));
}

/** Julian day number of the local day (UTC+7) of the k-th new moon. */
const newMoonDay = (k: number) => INT(newMoon(k) + 0.5 + TZ / 24);

/** Which of the 12 major-term sectors (0–11) the sun is in at the start of a local day. */
const sunSector = (dayNumber: number) => INT((sunLongitude(dayNumber - 0.5 - TZ / 24) / Math.PI) * 6);

/** Julian day number of the first day of lunar month 11 of the solar year `year`. */
function lunarMonth11(year: number): number {
  const off = jdn(year, 12, 31) - 2415021;
  const k = INT(off / SYNODIC_MONTH);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/** How many months after month 11 (starting at a11) the leap month is. */
function leapMonthOffset(a11: number): number {
  const k = INT((a11 - NEW_MOON_ORIGIN) / SYNODIC_MONTH + 0.5);
  let last: number;
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** The lunar date of a solar (Gregorian) date. */
export function solarToLunar(date: LocalDate | string): LunarDate {
  const { year, month, day } = typeof date === 'string' ? parseLocalDate(date) : date;
  const dayNumber = jdn(year, month, day);
  const k = INT((dayNumber - NEW_MOON_ORIGIN) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = lunarMonth11(year);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = lunarMonth11(year - 1);
  } else {
    lunarYear = year + 1;
    b11 = lunarMonth11(year + 1);
  }
  const lunarDay = dayNumber - monthStart + 1;
  const diff = INT((monthStart - a11) / 29);
  let leap = false;
  let lunarMonth = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      lunarMonth = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { day: lunarDay, month: lunarMonth, year: lunarYear, leap };
}

/** Julian day number of the first day of a lunar month, or null when that (leap) month does not exist. */
function lunarMonthStart(month: number, year: number, leap: boolean): number | null {
  const [a11, b11] = month < 11 ? [lunarMonth11(year - 1), lunarMonth11(year)] : [lunarMonth11(year), lunarMonth11(year + 1)];
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  const k = INT(0.5 + (a11 - NEW_MOON_ORIGIN) / SYNODIC_MONTH);
  return newMoonDay(k + off);
}

/**
 * The solar date (`YYYY-MM-DD`) of a lunar date. Throws a RangeError for a date the calendar does
 * not have: a leap month in a year without one (or not that month), or day 30 of a 29-day month.
 */
export function lunarToSolar(lunar: { readonly day: number; readonly month: number; readonly year: number; readonly leap?: boolean }): string {
  const leap = lunar.leap ?? false;
  const label = `${lunar.day}/${lunar.month}${leap ? ' (leap)' : ''}/${lunar.year}`;
  if (!Number.isInteger(lunar.day) || lunar.day < 1 || lunar.day > 30 || !Number.isInteger(lunar.month) || lunar.month < 1 || lunar.month > 12) {
    throw new RangeError(`lunar date ${label} does not exist`);
  }
  const start = lunarMonthStart(lunar.month, lunar.year, leap);
  if (start === null) throw new RangeError(`lunar year ${lunar.year} has no leap month ${lunar.month}`);
  const solar = fromJdn(start + lunar.day - 1);
  const check = solarToLunar(solar);
  if (check.month !== lunar.month || check.leap !== leap || check.day !== lunar.day) {
    throw new RangeError(`lunar date ${label} does not exist (that month has 29 days)`);
  }
  return formatLocalDate(solar);
}

/** The leap month of a lunar year (its number; the leap month follows the ordinary one), or null. */
export function leapMonthOf(lunarYear: number): number | null {
  // A leap month sits between month 11 of the previous year and month 11 of this one; find it by
  // walking the month starts of lunar year `lunarYear` (months 1–12) and checking each day-1.
  for (let month = 1; month <= 12; month++) {
    if (lunarMonthStart(month, lunarYear, true) !== null) return month;
  }
  return null;
}
