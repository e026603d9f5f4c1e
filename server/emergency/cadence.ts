/**
 * Standing alerts re-air on a cadence: storm and flood bulletins every 2 hours on the hour, day and
 * night, and tsunami warnings every 15 minutes, as Vietnam's disaster-warning rules require of
 * grassroots radio. Aligned to the hour, airings fall
 * on multiples of the period counted from local midnight (2 h: 00:00, 02:00 …; 15 min: :00, :15 …);
 * unaligned, they follow the first airing at fixed intervals. Pure.
 */
import { localFields } from '../scheduling/zoned-time.js';

export interface Cadence {
  readonly everyMinutes: number;
  readonly alignTo: 'hour' | 'none';
}

const DAY_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

/** `2h`, `90m`, `15m`, `1h30m` → minutes; null when unreadable. */
export function parseEvery(text: string): number | null {
  const match = /^\s*(?:(\d{1,2})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?\s*$/i.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const minutes = Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  return minutes > 0 ? minutes : null;
}

/** Why a cadence cannot be used, or null. Aligned periods must divide the day so every day has the same airings. */
export function cadenceProblem(cadence: Cadence): string | null {
  if (cadence.everyMinutes < 5) return 'must be at least 5 minutes';
  if (cadence.everyMinutes > DAY_MINUTES) return 'must be at most 24 hours';
  if (cadence.alignTo === 'hour' && DAY_MINUTES % cadence.everyMinutes !== 0) {
    return 'aligned to the hour, the period must divide 24 hours (e.g. 15m, 30m, 1h, 2h, 3h, 6h)';
  }
  return null;
}

/** The first airing strictly after `after`. `anchor` is the first airing, for unaligned cadences. */
export function nextAiring(cadence: Cadence, after: Date, anchor: Date, timeZone: string): Date {
  const periodMs = cadence.everyMinutes * MINUTE_MS;
  if (cadence.alignTo === 'none') {
    const elapsed = after.getTime() - anchor.getTime();
    const periods = Math.floor(elapsed / periodMs) + 1;
    return new Date(anchor.getTime() + Math.max(1, periods) * periodMs);
  }
  // Minutes since local midnight, rounded up to the next multiple of the period. Vietnam keeps no
  // daylight saving, but a zone that does is handled by re-reading the wall clock of the result.
  const local = localFields(after, timeZone);
  const minuteOfDay = local.hour * 60 + local.minute;
  const intoMinute = local.second * 1_000 + local.millisecond;
  const nextSlot = Math.floor(minuteOfDay / cadence.everyMinutes) * cadence.everyMinutes + cadence.everyMinutes;
  const candidate = new Date(after.getTime() - intoMinute + (nextSlot - minuteOfDay) * MINUTE_MS);
  const check = localFields(candidate, timeZone);
  const drift = ((check.hour * 60 + check.minute) % cadence.everyMinutes) * MINUTE_MS;
  return drift === 0 ? candidate : new Date(candidate.getTime() - drift + (drift > periodMs / 2 ? periodMs : 0));
}
