/**
 * The pieces every view of a calendar entry shares: its time range, its badges (priority, waiting
 * for approval, cancelled, conflict) and its conflicts in plain words.
 */
import { useLocale, useT, type Translate } from '../i18n/index.js';
import { describeConflicts, hasLiveConflicts, type ConflictDescription } from '../lib/calendar-conflicts.js';
import type { Occurrence } from '../lib/calendar-layout.js';
import { durationParts, formatTime } from '../lib/format.js';
import type { Locale } from '../i18n/define.js';

const MINUTE_MS = 60_000;

/** 04:30–04:31: the end rounded up to the minute, so a 20-second bulletin does not read 04:30–04:30. */
export function timeRange(occurrence: Occurrence, locale: Locale): string {
  const start = new Date(occurrence.startAt).getTime();
  const end = Math.max(start + MINUTE_MS, Math.ceil(new Date(occurrence.endAt).getTime() / MINUTE_MS) * MINUTE_MS);
  return `${formatTime(start, locale)}–${formatTime(end, locale)}`;
}

export function durationText(t: Translate, occurrence: Occurrence): string {
  const { m, s } = durationParts(new Date(occurrence.endAt).getTime() - new Date(occurrence.startAt).getTime());
  return m > 0 ? t('duration.minutes', { m, s }) : t('duration.seconds', { s });
}

export type EntryTone = 'emergency' | 'high' | 'low' | 'normal';

export function toneOf(occurrence: Occurrence): EntryTone {
  return occurrence.priority === 'emergency' || occurrence.priority === 'high' || occurrence.priority === 'low' ? occurrence.priority : 'normal';
}

/** Class names that colour an entry by priority and mark its state. */
export function entryClasses(occurrence: Occurrence): string {
  return [
    `tone-${toneOf(occurrence)}`,
    occurrence.approvalState === 'pending' ? 'is-pending' : '',
    occurrence.state === 'cancelled' || occurrence.state === 'missed' ? 'is-cancelled' : '',
    hasLiveConflicts(occurrence) ? 'has-conflict' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Badges in words; `compact` hides them visually (the grid's colours say the same) but not from screen readers. */
export function EntryBadges({ occurrence, compact = false }: { occurrence: Occurrence; compact?: boolean }) {
  const t = useT();
  const tone = toneOf(occurrence);
  const badges: { key: string; text: string }[] = [];
  if (tone !== 'normal') badges.push({ key: `priority ${tone}`, text: t(`schedule.priority.${tone}`) });
  if (occurrence.approvalState === 'pending') badges.push({ key: 'pending', text: t('schedule.pending') });
  if (occurrence.state === 'cancelled') badges.push({ key: 'cancelled', text: t('schedule.cancelled') });
  if (occurrence.state === 'missed') badges.push({ key: 'missed', text: t('schedule.missed') });
  if (hasLiveConflicts(occurrence)) badges.push({ key: 'conflict', text: t('schedule.conflict') });
  if (badges.length === 0) return null;
  return (
    <span class={compact ? 'visually-hidden' : 'calendar-badges'}>
      {badges.map((badge) => (
        <span key={badge.key} class={`badge calendar-badge ${badge.key}`}>
          {badge.text}
        </span>
      ))}
    </span>
  );
}

export function conflictText(t: Translate, locale: Locale, conflict: ConflictDescription): string {
  const title = conflict.withTitle ? `“${conflict.withTitle}”` : t('schedule.conflict.unknownTitle');
  const time = conflict.withStartAt ? formatTime(conflict.withStartAt, locale) : '';
  const count = conflict.deviceCount;
  switch (conflict.story) {
    case 'waits-for':
      return t('schedule.conflict.waitsFor', { title, time, count });
    case 'delays':
      return t('schedule.conflict.delays', { title, time, count });
    case 'together':
      return t('schedule.conflict.together', { title, count });
    case 'interrupts':
      return t('schedule.conflict.interrupts', { title, count });
    case 'interrupted-by':
      return t('schedule.conflict.interruptedBy', { title, count });
    case 'quiet-hours':
      return t('schedule.conflict.quietHours', { count });
  }
}

/** The conflicts of one entry, one sentence each. */
export function ConflictLines({ occurrence, all }: { occurrence: Occurrence; all: readonly Occurrence[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (!hasLiveConflicts(occurrence)) return null;
  return (
    <ul class="calendar-conflict-lines" data-testid="calendar-conflict">
      {describeConflicts(occurrence, all).map((conflict, index) => (
        <li key={index}>
          <span aria-hidden="true">⚠ </span>
          {conflictText(t, locale, conflict)}
        </li>
      ))}
    </ul>
  );
}

/** The whole entry in one line, for a tooltip. */
export function entrySummary(t: Translate, locale: Locale, occurrence: Occurrence): string {
  const tone = toneOf(occurrence);
  return [
    `${timeRange(occurrence, locale)} ${occurrence.title}`,
    tone !== 'normal' ? t(`schedule.priority.${tone}`) : '',
    occurrence.approvalState === 'pending' ? t('schedule.pending') : '',
    occurrence.state === 'cancelled' ? t('schedule.cancelled') : '',
    t('areas.receivers', { count: occurrence.deviceCount }),
  ]
    .filter(Boolean)
    .join(' · ');
}

export function reportHref(occurrence: Occurrence): string {
  return `#/reports/broadcast/${encodeURIComponent(occurrence.broadcastId)}`;
}
