/**
 * Dates, times, durations and numbers as officials read them: always on Vietnam's clock
 * (Asia/Ho_Chi_Minh), whatever the browser's zone, in Vietnamese or English conventions.
 */
import type { Locale } from '../i18n/define.js';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const intlLocale = (locale: Locale) => (locale === 'vi' ? 'vi-VN' : 'en-GB');
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(intlLocale(locale), { timeZone: TIME_ZONE, hourCycle: 'h23', ...options });
    cache.set(key, found);
  }
  return found;
}

type DateInput = Date | string | number;
const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

/** 25/11/2026 14:05 (vi) or 25/11/2026, 14:05 (en). */
export function formatDateTime(value: DateInput, locale: Locale): string {
  return formatter(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(toDate(value));
}

/** With seconds, for what happened at a precise moment (a receiver started playing). */
export function formatTimeWithSeconds(value: DateInput, locale: Locale): string {
  return formatter(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(toDate(value));
}

export function formatTime(value: DateInput, locale: Locale): string {
  return formatter(locale, { hour: '2-digit', minute: '2-digit' }).format(toDate(value));
}

export function formatDate(value: DateInput, locale: Locale): string {
  return formatter(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(toDate(value));
}

/** Thứ Tư, 25/11 (vi) or Wed 25/11 (en): a calendar column's heading. */
export function formatWeekday(value: DateInput, locale: Locale): string {
  return formatter(locale, { weekday: locale === 'vi' ? 'long' : 'short', day: '2-digit', month: '2-digit' }).format(toDate(value));
}

export function formatNumber(value: number, locale: Locale, fractionDigits = 0): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: fractionDigits }).format(value);
}

/** The parts of a duration for the catalogue's `duration.*` strings. */
export function durationParts(ms: number): { m: number; s: number } {
  const total = Math.max(0, Math.round(ms / 1000));
  return { m: Math.floor(total / 60), s: total % 60 };
}

/** The wall-clock date and time in Vietnam of an instant: what a date/time input should show. */
export function zonedInputValue(value: DateInput): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(toDate(value))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/**
 * The instant of a wall-clock date and time in Vietnam. The zone has been UTC+7 without daylight
 * saving since 1975, so a fixed offset is exact for every date the console schedules.
 */
export function instantFromZoned(date: string, time: string): Date {
  const withSeconds = /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
  return new Date(`${date}T${withSeconds}+07:00`);
}
