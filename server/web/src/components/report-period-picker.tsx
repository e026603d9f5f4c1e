/** Today, this week, this month, or days the official picks (Vietnam dates, the last day included). */
import { useEffect, useState } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { formatDate } from '../lib/format.js';
import { checkPickedPeriod, presetPeriod, type PeriodPreset, type ReportPeriod } from '../lib/report-period.js';

interface Props {
  readonly period: ReportPeriod;
  readonly onChange: (period: ReportPeriod) => void;
}

export function ReportPeriodPicker({ period, onChange }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [picking, setPicking] = useState(period.preset === 'custom');
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
    setChecked(false);
    if (period.preset === 'custom') setPicking(true);
  }, [period.preset, period.from, period.to]);
  const problem = checked ? checkPickedPeriod(from, to) : null;
  const choose = (preset: Exclude<PeriodPreset, 'custom'>) => {
    setPicking(false);
    onChange(presetPeriod(preset, new Date()));
  };
  const apply = (event: Event) => {
    event.preventDefault();
    setChecked(true);
    if (!checkPickedPeriod(from, to)) onChange({ preset: 'custom', from, to });
  };
  const presetButton = (preset: Exclude<PeriodPreset, 'custom'>) => (
    <button type="button" aria-pressed={!picking && period.preset === preset} data-testid={`period-${preset}`} onClick={() => choose(preset)}>
      {t(`reports.period.${preset}`)}
    </button>
  );
  const fieldError = (field: 'from' | 'to') =>
    problem?.field === field ? (
      <span class="field-error" role="alert">
        {t(`reports.period.problem.${problem.problem}`)}
      </span>
    ) : null;
  return (
    <div class="report-period card" data-testid="report-period">
      <div class="report-period-presets" role="group" aria-label={t('reports.period.label')}>
        {presetButton('today')}
        {presetButton('week')}
        {presetButton('month')}
        <button type="button" aria-pressed={picking} data-testid="period-custom" onClick={() => setPicking(true)}>
          {t('reports.period.custom')}
        </button>
      </div>
      {picking && (
        <form class="report-period-custom" onSubmit={apply} noValidate>
          <label>
            {t('reports.period.from')}
            <input type="date" value={from} data-testid="period-from" aria-invalid={problem?.field === 'from'} onInput={(e) => setFrom(e.currentTarget.value)} />
            {fieldError('from')}
          </label>
          <label>
            {t('reports.period.to')}
            <input type="date" value={to} data-testid="period-to" aria-invalid={problem?.field === 'to'} onInput={(e) => setTo(e.currentTarget.value)} />
            {fieldError('to')}
          </label>
          <button type="submit" class="primary" data-testid="period-apply">
            {t('reports.period.apply')}
          </button>
        </form>
      )}
      <p class="muted small report-period-shown" data-testid="period-shown">
        {period.from === period.to
          ? t('reports.period.day', { day: formatDate(`${period.from}T12:00:00+07:00`, locale) })
          : t('reports.period.range', { from: formatDate(`${period.from}T12:00:00+07:00`, locale), to: formatDate(`${period.to}T12:00:00+07:00`, locale) })}
      </p>
    </div>
  );
}
