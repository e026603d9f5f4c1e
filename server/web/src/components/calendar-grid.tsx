/**
 * The desktop week: seven day columns, each entry placed at its Vietnam time and as tall as it
 * lasts (at least legible), entries sharing time side by side. Colours say priority and state; the
 * words are in each entry for screen readers and in the tooltip.
 */
import { useLocale, useT } from '../i18n/index.js';
import { hasLiveConflicts } from '../lib/calendar-conflicts.js';
import type { CalendarDay, Occurrence, PlacedOccurrence } from '../lib/calendar-layout.js';
import { dayStart, type LocalDate } from '../lib/calendar-week.js';
import { formatTime, formatWeekday } from '../lib/format.js';
import { EntryBadges, entryClasses, entrySummary, reportHref, timeRange } from './calendar-entry.js';

/** Height of one hour in the grid; an entry is at least MIN_BOX_MINUTES tall. */
export const HOUR_REM = 3.6;
export const MIN_BOX_MINUTES = 45;

interface Props {
  readonly days: readonly CalendarDay[];
  readonly hours: { readonly from: number; readonly to: number };
  readonly today: LocalDate;
}

export function CalendarGrid({ days, hours, today }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const hourList = Array.from({ length: hours.to - hours.from }, (_, index) => hours.from + index);
  const height = `${(hours.to - hours.from) * HOUR_REM}rem`;
  return (
    <div class="calendar-grid" data-testid="calendar-grid">
      <div class="calendar-corner" />
      {days.map((day) => (
        <div key={day.date} class={day.date === today ? 'calendar-day-head today' : 'calendar-day-head'} data-testid="calendar-day-head">
          {formatWeekday(dayStart(day.date), locale)}
          {day.date === today && <span class="badge calendar-today">{t('schedule.today')}</span>}
        </div>
      ))}
      <div class="calendar-hours" style={{ height }} aria-hidden="true">
        {hourList.map((hour) => (
          <span key={hour} style={{ top: `${(hour - hours.from) * HOUR_REM}rem` }}>
            {`${String(hour).padStart(2, '0')}:00`}
          </span>
        ))}
      </div>
      {days.map((day) => (
        <div
          key={day.date}
          class={day.date === today ? 'calendar-day today' : 'calendar-day'}
          style={{ height, backgroundSize: `100% ${HOUR_REM}rem` }}
          data-testid="calendar-day"
          data-date={day.date}
          aria-label={formatWeekday(dayStart(day.date), locale)}
        >
          {day.entries.map((entry) => (
            <GridEntry
              key={entry.key}
              entry={entry}
              fromHour={hours.from}
              summary={entrySummary(t, locale, entry.occurrence)}
              // Side by side there is room for the start only; the tooltip and the agenda give the range.
              time={entry.columns > 1 ? formatTime(entry.occurrence.startAt, locale) : timeRange(entry.occurrence, locale)}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

function GridEntry({ entry, fromHour, summary, time }: { entry: PlacedOccurrence; fromHour: number; summary: string; time: string }) {
  const occurrence: Occurrence = entry.occurrence;
  const width = 100 / entry.columns;
  return (
    <a
      href={reportHref(occurrence)}
      class={`calendar-entry ${entryClasses(occurrence)}`}
      style={{
        top: `${((entry.top - fromHour * 60) / 60) * HOUR_REM}rem`,
        height: `${((entry.bottom - entry.top) / 60) * HOUR_REM}rem`,
        left: `${entry.column * width}%`,
        width: `${width}%`,
      }}
      title={summary}
      data-testid="calendar-entry"
      data-broadcast-id={occurrence.broadcastId}
      data-approval={occurrence.approvalState}
      data-state={occurrence.state}
      data-conflict={String(hasLiveConflicts(occurrence))}
    >
      <span class="calendar-entry-time">
        {hasLiveConflicts(occurrence) && (
          <span class="calendar-conflict-mark" aria-hidden="true">
            ⚠
          </span>
        )}
        {time}
      </span>
      <span class="calendar-entry-title">{occurrence.title}</span>
      <EntryBadges occurrence={occurrence} compact />
    </a>
  );
}
