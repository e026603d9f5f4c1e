/**
 * How long a receiver was online within a window, from its recorded state changes. Pure, so the
 * rules are tested without a database.
 *
 * Before its first recorded change a receiver counts as offline: a new receiver is offline until
 * its agent first connects. Windows start no earlier than the receiver's registration or the start
 * of the history, and end no later than now (see report-service.ts).
 */

export interface AvailabilityChange {
  readonly online: boolean;
  readonly at: Date;
}

export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * The part of a period a receiver can be judged on: from the period's start, its registration or
 * the start of the history, whichever is latest, to the period's end or now, whichever is first.
 */
export function observedWindow(period: { readonly from: Date; readonly until: Date }, registeredAt: Date, historyStart?: Date): Window {
  const start = Math.max(period.from.getTime(), registeredAt.getTime(), historyStart?.getTime() ?? Number.NEGATIVE_INFINITY);
  return { start, end: Math.max(start, period.until.getTime()) };
}

/** Milliseconds online within `window`; `changes` in time order (one before the window may come first). */
export function onlineMs(changes: readonly AvailabilityChange[], window: Window): number {
  if (window.end <= window.start) return 0;
  let online = false;
  let since = window.start;
  let total = 0;
  for (const change of changes) {
    const at = change.at.getTime();
    if (at >= window.end) break;
    if (at <= window.start) {
      online = change.online;
      continue;
    }
    if (online) total += at - since;
    online = change.online;
    since = at;
  }
  if (online) total += window.end - since;
  return total;
}

/** Share of `windowMs` spent online, in percent with one decimal; null for an empty window. */
export function availabilityPercent(onlineTotalMs: number, windowMs: number): number | null {
  if (windowMs <= 0) return null;
  return Math.round((onlineTotalMs / windowMs) * 1000) / 10;
}
