/** Durations as the composer and the schedule form say them, through the catalogue's `duration.*`. */
import type { MessageKey } from '../i18n/catalogue.js';
import { durationParts } from './format.js';

/** The console's `t` (i18n/index.tsx), named here so this file stays free of JSX for the unit tests. */
type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export function durationText(t: Translate, ms: number): string {
  const { m, s } = durationParts(ms);
  return m > 0 ? t('duration.minutes', { m, s }) : t('duration.seconds', { s });
}

/**
 * An estimate said no more precisely than it is known: to the second under half a minute, to
 * five seconds under five minutes, to ten seconds beyond (the estimate is within a few percent).
 */
export function roundEstimateMs(ms: number): number {
  if (ms <= 0) return 0;
  const step = ms < 30_000 ? 1_000 : ms < 300_000 ? 5_000 : 10_000;
  return Math.max(1_000, Math.round(ms / step) * step);
}
