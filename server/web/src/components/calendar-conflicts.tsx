/** Under the desktop grid: every entry of the week that has a conflict, with the conflict in words. */
import { useLocale, useT } from '../i18n/index.js';
import { hasLiveConflicts } from '../lib/calendar-conflicts.js';
import type { CalendarDay, Occurrence } from '../lib/calendar-layout.js';
import { dayStart } from '../lib/calendar-week.js';
import { formatWeekday } from '../lib/format.js';
import { ConflictLines, reportHref, timeRange } from './calendar-entry.js';

export function CalendarConflictList({ days, all }: { days: readonly CalendarDay[]; all: readonly Occurrence[] }) {
  const t = useT();
  const { locale } = useLocale();
  const rows = days.flatMap((day) => day.entries.filter((entry) => hasLiveConflicts(entry.occurrence)).map((entry) => ({ day, entry })));
  if (rows.length === 0) return null;
  return (
    <section class="card calendar-conflicts" data-testid="calendar-conflicts">
      <h2>
        <span aria-hidden="true">⚠ </span>
        {t('schedule.conflicts.title')}
      </h2>
      <ul class="plain-list">
        {rows.map(({ day, entry }) => (
          <li key={entry.key} data-broadcast-id={entry.occurrence.broadcastId}>
            <span class="calendar-conflict-when">
              {formatWeekday(dayStart(day.date), locale)} {timeRange(entry.occurrence, locale)}
            </span>
            <a href={reportHref(entry.occurrence)}>{entry.occurrence.title}</a>
            <ConflictLines occurrence={entry.occurrence} all={all} />
          </li>
        ))}
      </ul>
    </section>
  );
}
