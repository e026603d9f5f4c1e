/**
 * Clock times: "6h30", "06:30", "7h", "14h15'", "6g30", "14:30:15", and ranges of them ("7h30-11h",
 * "7-9h"). "17 giờ" needs no rule: the number is read and "giờ" is already a word.
 */
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule } from '../rule.js';
import { readCardinal } from '../spoken-numbers.js';
import { matchAt } from '../text-context.js';

// "h" may stand alone ("7h"); "g" only with minutes, since "500g" is grams.
const TIME = String.raw`(\d{1,2})(?:h(\d{2})?|g(\d{2})|:(\d{2})(?::(\d{2}))?)(?:'|’|p|ph)?`;
const END = String.raw`(?![\p{L}\p{M}\p{N}])`;
const TIME_AT = new RegExp(TIME + END, 'uy');
const TIME_RANGE = new RegExp(`${TIME}[ \\t]*[-–][ \\t]*${TIME}${END}`, 'uy');
const HOURS_RANGE = new RegExp(String.raw`(\d{1,2})[ \t]*[-–][ \t]*(\d{1,2})h${END}`, 'uy');

interface ClockTime {
  readonly hours: number;
  readonly minutes: number | null;
  readonly seconds: number | null;
}

export function timeRule(dialect: NumberDialect): Rule {
  const speak = (time: ClockTime) => {
    const parts = [`${readCardinal(String(time.hours), dialect)} giờ`];
    if (time.minutes) parts.push(`${readCardinal(String(time.minutes), dialect)} phút`);
    if (time.seconds) parts.push(`${readCardinal(String(time.seconds), dialect)} giây`);
    return parts.join(' ');
  };
  return {
    name: 'time',
    startsOn: ['digit'],
    match(text, at) {
      const range = matchAt(TIME_RANGE, text, at);
      if (range) {
        const from = clockTime(range.slice(1, 6));
        const to = clockTime(range.slice(6, 11));
        if (from && to) return { length: range[0].length, spoken: `${speak(from)} đến ${speak(to)}`, rule: 'time.range' };
      }
      const hours = matchAt(HOURS_RANGE, text, at);
      if (hours && Number(hours[1]) < Number(hours[2]) && Number(hours[2]) <= 24) {
        return { length: hours[0].length, spoken: `${readCardinal(hours[1]!, dialect)} đến ${speak({ hours: Number(hours[2]), minutes: null, seconds: null })}`, rule: 'time.range' };
      }
      const single = matchAt(TIME_AT, text, at);
      const time = single ? clockTime(single.slice(1, 6)) : null;
      return single && time ? { length: single[0].length, spoken: speak(time), rule: 'time' } : null;
    },
  };
}

/** Groups: hours, minutes after "h", minutes after "g", minutes after ":", seconds. */
function clockTime(groups: readonly (string | undefined)[]): ClockTime | null {
  const [hoursText, afterH, afterG, afterColon, secondsText] = groups;
  const hours = Number(hoursText);
  const minutesText = afterH ?? afterG ?? afterColon;
  const minutes = minutesText === undefined ? null : Number(minutesText);
  const seconds = secondsText === undefined ? null : Number(secondsText);
  // "48h" is a duration and fine; with minutes it must be a time of day.
  if (minutes !== null && (hours > 24 || minutes > 59)) return null;
  if (seconds !== null && seconds > 59) return null;
  return { hours, minutes, seconds };
}
