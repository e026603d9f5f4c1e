/** Which week and which area the calendar shows: previous, this and next week, and the area selector. */
import { useLocale, useT } from '../i18n/index.js';
import type { TreeArea } from '../lib/area-tree.js';
import { areaOptions, indentedName } from '../lib/calendar-areas.js';
import { addDays, dayStart, type LocalDate } from '../lib/calendar-week.js';
import { formatDate } from '../lib/format.js';

interface Props {
  readonly monday: LocalDate;
  readonly isThisWeek: boolean;
  readonly areaId: string;
  readonly areas: readonly TreeArea[];
  readonly onWeek: (monday: LocalDate | null) => void;
  readonly onArea: (areaId: string) => void;
}

export function CalendarToolbar({ monday, isThisWeek, areaId, areas, onWeek, onArea }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const sunday = addDays(monday, 6);
  return (
    <div class="calendar-toolbar">
      <div class="calendar-week-nav" role="group" aria-label={t('schedule.weekNav')}>
        <button type="button" data-testid="calendar-previous" onClick={() => onWeek(addDays(monday, -7))}>
          {t('schedule.previousWeek')}
        </button>
        <button type="button" data-testid="calendar-this-week" disabled={isThisWeek} onClick={() => onWeek(null)}>
          {t('schedule.thisWeek')}
        </button>
        <button type="button" data-testid="calendar-next" onClick={() => onWeek(addDays(monday, 7))}>
          {t('schedule.nextWeek')}
        </button>
      </div>
      <p class="calendar-week-label" data-testid="calendar-week-label" aria-live="polite">
        {t('schedule.weekRange', { from: formatDate(dayStart(monday), locale), to: formatDate(dayStart(sunday), locale) })}
      </p>
      <label class="calendar-area">
        {t('schedule.area')}
        <select data-testid="calendar-area" value={areaId} onChange={(event) => onArea(event.currentTarget.value)}>
          <option value="">{t('schedule.allAreas')}</option>
          {areaOptions(areas).map((option) => (
            <option key={option.id} value={option.id}>
              {indentedName(option)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
