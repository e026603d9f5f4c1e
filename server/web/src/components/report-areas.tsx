/**
 * Per area and period: what went on air and how it played (the chosen area and its children, each
 * one a click to drill into), and every receiver's availability, least available first. Both
 * tables download as CSV in the console's language.
 */
import { query } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { areaPath, findArea } from '../lib/area-tree.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { areaCsvUrl, availabilityTone, type AreaReport, type AreaReportRow, type ReceiverAvailability } from '../lib/report-areas.js';
import type { ReportPeriod } from '../lib/report-period.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import { ReportLoadError } from './report-load-error.js';

interface Props {
  readonly period: ReportPeriod;
  readonly areaId: string | undefined;
  readonly onArea: (areaId: string | undefined) => void;
}

export function ReportAreas({ period, areaId, onArea }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  const report = useApi<AreaReport>(`/api/reports/areas${query({ from: period.from, to: period.to, areaId })}`);
  const data = report.data;
  const trail = areaId ? areaPath(areas, areaId) : [];
  return (
    <div class="report-areas" data-testid="report-areas">
      {areaId && (
        <nav class="report-trail" aria-label={t('reports.areas.trail')}>
          <button type="button" class="link-button" data-testid="report-area-top" onClick={() => onArea(undefined)}>
            {t('reports.areas.top')}
          </button>
          {trail.map((area) => (
            <span key={area.id}>
              <span aria-hidden="true"> › </span>
              {area.id === areaId ? (
                <strong aria-current="page">{area.name}</strong>
              ) : (
                <button type="button" class="link-button" onClick={() => onArea(area.id)}>
                  {area.name}
                </button>
              )}
            </span>
          ))}
        </nav>
      )}
      {report.error && <ReportLoadError error={report.error} onRetry={report.reload} />}
      {report.loading && !data && <p>{t('app.loading')}</p>}
      {data && (
        <div class={report.loading ? 'stale' : undefined}>
          <div class="report-section-head">
            <h2>{t('reports.areas.title')}</h2>
            <a class="csv-link" href={areaCsvUrl({ from: period.from, to: period.to, areaId }, 'areas', locale)} download data-testid="report-areas-csv">
              {t('reports.csv')}
            </a>
          </div>
          <AreaTable rows={data.areas} current={areaId} onArea={onArea} />
          <MeasuresHelp />
          <div class="report-section-head">
            <h2>{t('reports.receivers.title')}</h2>
            <a class="csv-link" href={areaCsvUrl({ from: period.from, to: period.to, areaId }, 'receivers', locale)} download data-testid="report-receivers-csv">
              {t('reports.csv')}
            </a>
          </div>
          <p class="muted small">{t('reports.receivers.until', { time: formatDateTime(data.observedUntil, locale) })}</p>
          <ReceiverTable receivers={data.receivers} areaName={(id) => findArea(areas, id)?.name ?? '—'} />
        </div>
      )}
    </div>
  );
}

function AreaTable({ rows, current, onArea }: { rows: readonly AreaReportRow[]; current: string | undefined; onArea: (areaId: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const n = (value: number, digits = 0) => formatNumber(value, locale, digits);
  if (rows.length === 0) return <p class="muted">{t('reports.areas.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="report-table" data-testid="report-area-table">
        <thead>
          <tr>
            <th>{t('reports.areas.col.area')}</th>
            <th>{t('reports.areas.col.broadcasts')}</th>
            <th>{t('reports.areas.col.airings')}</th>
            <th>{t('reports.areas.col.minutesOnAir')}</th>
            <th>{t('reports.areas.col.receiverMinutes')}</th>
            <th>{t('reports.areas.col.completed')}</th>
            <th>{t('reports.areas.col.failed')}</th>
            <th>{t('reports.areas.col.missed')}</th>
            <th>{t('reports.areas.col.interrupted')}</th>
            <th>{t('reports.areas.col.receivers')}</th>
            <th>{t('reports.areas.col.availability')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.areaId} class={row.depth === 0 ? 'report-area-top' : 'report-area-child'} data-testid="report-area-row" data-area-id={row.areaId}>
              <th scope="row">
                {row.areaId === current ? (
                  <span>{row.name}</span>
                ) : (
                  <button type="button" class="link-button report-drill" data-testid="report-area-drill" onClick={() => onArea(row.areaId)}>
                    {row.name}
                  </button>
                )}
                <span class="muted small report-kind">{t(`area.${row.kind}`)}</span>
              </th>
              <td class="number" data-col="broadcasts">{n(row.broadcasts)}</td>
              <td class="number" data-col="airings">{n(row.airings)}</td>
              <td class="number" data-col="minutesOnAir">{n(row.minutesOnAir, 1)}</td>
              <td class="number" data-col="receiverMinutes">{n(row.receiverMinutes, 1)}</td>
              <td class="number" data-col="completed">{n(row.plays.completed)}</td>
              <td class={row.plays.failed > 0 ? 'number bad' : 'number'} data-col="failed">{n(row.plays.failed)}</td>
              <td class={row.plays.missed > 0 ? 'number bad' : 'number'} data-col="missed">{n(row.plays.missed)}</td>
              <td class={row.plays.interrupted > 0 ? 'number warn' : 'number'} data-col="interrupted">{n(row.plays.interrupted)}</td>
              <td class="number" data-col="receivers">{n(row.receivers)}</td>
              <td class="number" data-col="availability">
                <Availability percent={row.availabilityPercent} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReceiverTable({ receivers, areaName }: { receivers: readonly ReceiverAvailability[]; areaName: (areaId: string) => string }) {
  const t = useT();
  const { locale } = useLocale();
  if (receivers.length === 0) return <p class="muted">{t('reports.receivers.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="report-table" data-testid="report-receiver-table">
        <thead>
          <tr>
            <th>{t('reports.receivers.col.name')}</th>
            <th>{t('reports.receivers.col.area')}</th>
            <th>{t('reports.receivers.col.online')}</th>
            <th>{t('reports.receivers.col.availability')}</th>
          </tr>
        </thead>
        <tbody>
          {receivers.map((receiver) => (
            <tr key={receiver.deviceId} data-testid="report-receiver-row" data-device-id={receiver.deviceId}>
              <td>{receiver.name}</td>
              <td>{areaName(receiver.areaId)}</td>
              <td class="number">
                {t('reports.receivers.minutes', { online: formatNumber(receiver.onlineMinutes, locale, 1), observed: formatNumber(receiver.observedMinutes, locale, 1) })}
              </td>
              <td class="number">
                <Availability percent={receiver.availabilityPercent} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Availability({ percent }: { percent: number | null }) {
  const t = useT();
  const { locale } = useLocale();
  const tone = availabilityTone(percent);
  return (
    <span class={`availability ${tone}`} data-tone={tone}>
      {percent === null ? t('reports.availability.none') : t('reports.availability.percent', { percent: formatNumber(percent, locale, 1) })}
    </span>
  );
}

function MeasuresHelp() {
  const t = useT();
  return (
    <details class="report-help">
      <summary>{t('reports.help.title')}</summary>
      <dl>
        <dt>{t('reports.areas.col.broadcasts')}</dt>
        <dd>{t('reports.help.broadcasts')}</dd>
        <dt>{t('reports.areas.col.minutesOnAir')}</dt>
        <dd>{t('reports.help.minutesOnAir')}</dd>
        <dt>{t('reports.areas.col.receiverMinutes')}</dt>
        <dd>{t('reports.help.receiverMinutes')}</dd>
        <dt>{t('reports.areas.col.missed')}</dt>
        <dd>{t('reports.help.missed')}</dd>
        <dt>{t('reports.areas.col.interrupted')}</dt>
        <dd>{t('reports.help.interrupted')}</dd>
        <dt>{t('reports.areas.col.availability')}</dt>
        <dd>{t('reports.help.availability')}</dd>
      </dl>
    </details>
  );
}
