/**
 * When a broadcast plays: now, at a time (Vietnam time, to the second), or on a rule (daily,
 * weekly on chosen days, monthly on chosen dates, or cron for those who know it), with the dates
 * a rule is valid between.
 */
import { useT } from '../i18n/index.js';
import { RULE_KINDS, WEEKDAYS, WHEN_KINDS, type ScheduleField, type ScheduleFormState, type Weekday } from '../lib/schedule-form.js';
import { FieldMessage } from './compose-error-notice.js';

interface Props {
  readonly state: ScheduleFormState;
  readonly update: (patch: Partial<ScheduleFormState>) => void;
  readonly errorFor: (field: ScheduleField) => string | undefined;
}

const MONTH_DAYS = Array.from({ length: 31 }, (_, index) => index + 1);

export function ScheduleWhen({ state, update, errorFor }: Props) {
  const t = useT();
  return (
    <fieldset class="schedule-when">
      <legend>{t('compose.when.legend')}</legend>
      <div class="schedule-choices" role="radiogroup" aria-label={t('compose.when.legend')}>
        {WHEN_KINDS.map((kind) => (
          <label key={kind} class="inline-choice">
            <input type="radio" name="schedule-when" value={kind} checked={state.when === kind} data-testid={`schedule-when-${kind}`} onChange={() => update({ when: kind })} />
            {t(`compose.when.${kind}`)}
          </label>
        ))}
      </div>
      {state.when === 'now' && <p class="muted small">{t('compose.when.nowHint')}</p>}
      {state.when === 'at' && (
        <div class="row">
          <label>
            {t('compose.when.date')}
            <input type="date" data-testid="schedule-date" value={state.date} onInput={(event) => update({ date: event.currentTarget.value })} />
            <FieldMessage message={errorFor('date')} />
          </label>
          <label>
            {t('compose.when.time')}
            <input type="time" step={1} data-testid="schedule-time" value={state.time} onInput={(event) => update({ time: event.currentTarget.value })} />
            <span class="muted small">{t('compose.when.vietnamTime')}</span>
            <FieldMessage message={errorFor('time')} testId="schedule-time-error" />
          </label>
        </div>
      )}
      {state.when === 'recurring' && <RecurringFields state={state} update={update} errorFor={errorFor} />}
    </fieldset>
  );
}

function RecurringFields({ state, update, errorFor }: Props) {
  const t = useT();
  return (
    <div class="schedule-rule">
      <label>
        {t('compose.rule.label')}
        <select data-testid="schedule-rule" value={state.rule} onChange={(event) => update({ rule: event.currentTarget.value as ScheduleFormState['rule'] })}>
          {RULE_KINDS.map((rule) => (
            <option key={rule} value={rule}>
              {t(`compose.rule.${rule}`)}
            </option>
          ))}
        </select>
      </label>

      {state.rule === 'weekly' && (
        <fieldset class="schedule-days">
          <legend>{t('compose.rule.weekdays')}</legend>
          <div class="schedule-day-grid">
            {WEEKDAYS.map((day) => (
              <label key={day} class="schedule-day">
                <input
                  type="checkbox"
                  data-testid={`schedule-weekday-${day}`}
                  checked={state.weekdays.includes(day)}
                  onChange={(event) => update({ weekdays: toggled<Weekday>(state.weekdays, day, event.currentTarget.checked) })}
                />
                <span>{t(`compose.weekday.${day}`)}</span>
              </label>
            ))}
          </div>
          <FieldMessage message={errorFor('weekdays')} />
        </fieldset>
      )}

      {state.rule === 'monthly' && (
        <fieldset class="schedule-days">
          <legend>{t('compose.rule.monthDays')}</legend>
          <div class="schedule-day-grid monthly">
            {MONTH_DAYS.map((day) => (
              <label key={day} class="schedule-day">
                <input
                  type="checkbox"
                  data-testid={`schedule-monthday-${day}`}
                  checked={state.monthDays.includes(day)}
                  onChange={(event) => update({ monthDays: toggled<number>(state.monthDays, day, event.currentTarget.checked) })}
                />
                <span>{day}</span>
              </label>
            ))}
          </div>
          {state.monthDays.some((day) => day > 28) && <p class="muted small">{t('compose.rule.shortMonths')}</p>}
          <FieldMessage message={errorFor('monthDays')} />
        </fieldset>
      )}

      {state.rule === 'cron' ? (
        <label>
          {t('compose.rule.cron')}
          <input class="schedule-cron" spellcheck={false} autoComplete="off" data-testid="schedule-cron" value={state.cron} onInput={(event) => update({ cron: event.currentTarget.value })} />
          <span class="muted small">{t('compose.rule.cronHint')}</span>
          <FieldMessage message={errorFor('cron')} />
        </label>
      ) : (
        <TimesField times={state.times} onChange={(times) => update({ times })} error={errorFor('times')} />
      )}

      <div class="row">
        <label>
          {t('compose.rule.validFrom')}
          <input type="date" data-testid="schedule-valid-from" value={state.validFrom} onInput={(event) => update({ validFrom: event.currentTarget.value })} />
          <FieldMessage message={errorFor('validFrom')} />
        </label>
        <label>
          {t('compose.rule.validUntil')}
          <input type="date" data-testid="schedule-valid-until" value={state.validUntil} onInput={(event) => update({ validUntil: event.currentTarget.value })} />
          <FieldMessage message={errorFor('validUntil')} />
        </label>
      </div>
      <p class="muted small">{t('compose.rule.validHint')}</p>
    </div>
  );
}

function TimesField({ times, onChange, error }: { times: readonly string[]; onChange: (times: string[]) => void; error: string | undefined }) {
  const t = useT();
  const set = (index: number, value: string) => onChange(times.map((time, i) => (i === index ? value : time)));
  const add = () => onChange([...times, nextTime(times[times.length - 1])]);
  return (
    <fieldset class="schedule-times">
      <legend>{t('compose.rule.times')}</legend>
      <div class="schedule-time-list">
        {times.map((time, index) => (
          <div key={index} class="schedule-time-item">
            <input type="time" aria-label={t('compose.rule.timeN', { n: index + 1 })} data-testid={`schedule-rule-time-${index}`} value={time} onInput={(event) => set(index, event.currentTarget.value)} />
            {times.length > 1 && (
              <button type="button" class="icon-button" aria-label={t('compose.rule.removeTime', { time })} onClick={() => onChange(times.filter((_, i) => i !== index))}>
                <span aria-hidden="true">×</span>
              </button>
            )}
          </div>
        ))}
        <button type="button" class="link-button" data-testid="schedule-add-time" onClick={add}>
          {t('compose.rule.addTime')}
        </button>
      </div>
      <span class="muted small">{t('compose.when.vietnamTime')}</span>
      <FieldMessage message={error} />
    </fieldset>
  );
}

function toggled<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((item) => item !== value), value] : list.filter((item) => item !== value);
}

/** A new time slot an hour after the last one, which is usually what comes next in a programme. */
function nextTime(last: string | undefined): string {
  const match = /^(\d{2}):(\d{2})/.exec(last ?? '');
  if (!match) return '17:00';
  return `${String((Number(match[1]) + 1) % 24).padStart(2, '0')}:${match[2]}`;
}
