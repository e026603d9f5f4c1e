/**
 * `#/schedule?week=2026-11-23&area=<id>`: what is scheduled, a week (Monday to Sunday, Vietnam
 * time) at a time, for all the user's areas or one of them. Seven day columns on a desktop, a
 * day-by-day list on a phone; each entry opens its broadcast's report. Admins also see how the
 * programme files loaded.
 */
import { query } from '../api.js';
import { CalendarAgenda } from '../components/calendar-agenda.js';
import { CalendarConflictList } from '../components/calendar-conflicts.js';
import { CalendarGrid, MIN_BOX_MINUTES } from '../components/calendar-grid.js';
import { CalendarProgrammes } from '../components/calendar-programmes.js';
import { CalendarToolbar } from '../components/calendar-toolbar.js';
import { useT } from '../i18n/index.js';
import { findArea } from '../lib/area-tree.js';
import { layoutWeek, visibleHours, type Occurrence } from '../lib/calendar-layout.js';
import { useAgendaLayout } from '../lib/calendar-viewport.js';
import { vietnamDate, weekFromParam, weekStartAt, weekWindow, type LocalDate } from '../lib/calendar-week.js';
import { useApi } from '../lib/use-api.js';
import { navigate, routeQuery } from '../router.js';
import { useSession } from '../session.js';
import '../styles/calendar.css';

/** A commune's usual broadcasting day, shown even when the week is sparse. */
const DEFAULT_HOURS = { from: 6, to: 19 };

export function SchedulePage({ path }: { path: string }) {
  const t = useT();
  const session = useSession();
  const params = routeQuery(path);
  const now = new Date();
  const monday = weekFromParam(params.get('week'), now);
  const isThisWeek = monday === weekStartAt(now);
  const requestedArea = params.get('area') ?? '';
  const areaId = requestedArea && findArea(session.areas, requestedArea) ? requestedArea : '';
  const agenda = useAgendaLayout();

  const go = (week: LocalDate | null, area: string) => navigate(`/schedule${query({ week: week ?? undefined, area: area || undefined })}`);

  const range = weekWindow(monday);
  const calendar = useApi<{ occurrences: Occurrence[] }>(
    `/api/schedule${query({ from: range.from.toISOString(), to: range.to.toISOString(), areaId: areaId || undefined })}`,
  );
  const occurrences = calendar.data?.occurrences ?? [];
  const days = layoutWeek(occurrences, monday, MIN_BOX_MINUTES);
  const today = vietnamDate(now);

  return (
    <section class="schedule-page" data-testid="schedule-page">
      <div class="page-head">
        <h1>{t('schedule.title')}</h1>
        {calendar.loading && <span class="badge">{t('app.loading')}</span>}
      </div>
      <CalendarToolbar
        monday={monday}
        isThisWeek={isThisWeek}
        areaId={areaId}
        areas={session.areas}
        onWeek={(week) => go(week, areaId)}
        onArea={(area) => go(isThisWeek ? null : monday, area)}
      />
      <Legend />
      {calendar.error && (
        <p class="notice error" role="alert">
          {calendar.error.code === 'NETWORK' ? t('app.networkError') : t('app.error', { message: calendar.error.message })}{' '}
          <button type="button" class="link-button" onClick={calendar.reload}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {calendar.data && occurrences.length === 0 && (
        <p class="notice" data-testid="calendar-empty">
          {t('schedule.empty')}
        </p>
      )}
      {agenda ? (
        <CalendarAgenda days={days} all={occurrences} today={today} />
      ) : (
        <>
          <CalendarGrid days={days} hours={visibleHours(days, DEFAULT_HOURS)} today={today} />
          <CalendarConflictList days={days} all={occurrences} />
        </>
      )}
      {session.may('schedules:manage') && <CalendarProgrammes onReloaded={calendar.reload} />}
    </section>
  );
}

function Legend() {
  const t = useT();
  return (
    <ul class="calendar-legend" aria-label={t('schedule.legend')}>
      <li class="tone-emergency">{t('schedule.priority.emergency')}</li>
      <li class="tone-high">{t('schedule.priority.high')}</li>
      <li class="tone-normal">{t('schedule.priority.normal')}</li>
      <li class="tone-normal is-pending">{t('schedule.pending')}</li>
      <li class="tone-normal is-cancelled">{t('schedule.cancelled')}</li>
      <li class="tone-normal has-conflict">
        <span aria-hidden="true">⚠ </span>
        {t('schedule.conflict')}
      </li>
    </ul>
  );
}
