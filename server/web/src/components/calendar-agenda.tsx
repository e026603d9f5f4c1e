/** The week on a phone: day by day, each entry with its time, badges and conflicts in words. */
import { useLocale, useT } from '../i18n/index.js';
import { hasLiveConflicts } from '../lib/calendar-conflicts.js';
import type { CalendarDay, Occurrence } from '../lib/calendar-layout.js';
import { dayStart, type LocalDate } from '../lib/calendar-week.js';
import { formatWeekday } from '../lib/format.js';
import { ConflictLines, durationText, EntryBadges, entryClasses, reportHref, timeRange } from './calendar-entry.js';

interface Props {
  readonly days: readonly CalendarDay[];
  readonly all: readonly Occurrence[];
  readonly today: LocalDate;
}

export function CalendarAgenda({ days, all, today }: Props) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div class="calendar-agenda" data-testid="calendar-agenda">
      {days.map((day) => (
        <section key={day.date} class={day.date === today ? 'calendar-agenda-day today' : 'calendar-agenda-day'} data-testid="calendar-day" data-date={day.date}>
          <h3>
            {formatWeekday(dayStart(day.date), locale)}
            {day.date === today && <span class="badge calendar-today">{t('schedule.today')}</span>}
          </h3>
          {day.entries.length === 0 ? (
            <p class="muted small">{t('schedule.dayEmpty')}</p>
          ) : (
            <ul class="calendar-agenda-list">
              {day.entries.map(({ key, occurrence }) => (
                <li
                  key={key}
                  class={`calendar-agenda-entry ${entryClasses(occurrence)}`}
                  data-testid="calendar-entry"
                  data-broadcast-id={occurrence.broadcastId}
                  data-approval={occurrence.approvalState}
                  data-state={occurrence.state}
                  data-conflict={String(hasLiveConflicts(occurrence))}
                >
                  <div class="calendar-agenda-when">
                    <strong class="calendar-entry-time">{timeRange(occurrence, locale)}</strong>
                    <span class="muted small">{durationText(t, occurrence)}</span>
                  </div>
                  <div class="calendar-agenda-what">
                    <a href={reportHref(occurrence)} class="calendar-entry-title">
                      {occurrence.title}
                    </a>
                    <EntryBadges occurrence={occurrence} />
                    <span class="muted small">{t('areas.receivers', { count: occurrence.deviceCount })}</span>
                    <ConflictLines occurrence={occurrence} all={all} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
