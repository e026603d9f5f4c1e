/** The broadcasts due to air in a period, latest first: state, deliveries by state, a link to each. */
import { query } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { REPORT_STATES, summaryEntries, type BroadcastReport, type ReportState } from '../lib/report-broadcast.js';
import type { ReportPeriod } from '../lib/report-period.js';
import { useApi } from '../lib/use-api.js';
import { DeliveryCounts, PriorityLabel, ReportStateBadge } from './report-badges.js';
import { ReportLoadError } from './report-load-error.js';

interface Props {
  readonly period: ReportPeriod;
  readonly state: ReportState | null;
  readonly onState: (state: ReportState | null) => void;
}

export function ReportBroadcastList({ period, state, onState }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const report = useApi<BroadcastReport>(`/api/reports/broadcasts${query({ from: period.from, to: period.to, state })}`);
  const rows = report.data?.broadcasts ?? [];
  return (
    <div class="report-broadcasts" data-testid="report-broadcasts">
      <div class="actions">
        <label class="inline-field">
          {t('reports.list.stateFilter')}
          <select value={state ?? ''} data-testid="report-state-filter" onChange={(e) => onState((e.currentTarget.value || null) as ReportState | null)}>
            <option value="">{t('reports.list.allStates')}</option>
            {REPORT_STATES.map((value) => (
              <option key={value} value={value}>
                {t(`reports.state.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {report.data && (
          <span class="muted" data-testid="report-broadcast-count">
            {t('reports.list.count', { count: formatNumber(rows.length, locale) })}
          </span>
        )}
      </div>
      {report.error && <ReportLoadError error={report.error} onRetry={report.reload} />}
      {report.loading && !report.data && <p>{t('app.loading')}</p>}
      {report.data?.truncated && <p class="notice warn">{t('reports.list.truncated')}</p>}
      {report.data && rows.length === 0 && <p class="muted">{t('reports.list.empty')}</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class={report.loading ? 'report-table stale' : 'report-table'}>
            <thead>
              <tr>
                <th>{t('reports.list.when')}</th>
                <th>{t('reports.list.title')}</th>
                <th>{t('reports.list.state')}</th>
                <th>{t('reports.list.deliveries')}</th>
                <th>{t('reports.list.airings')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid="report-broadcast-row" data-broadcast-id={row.id} data-state={row.state}>
                  <td class="nowrap">{row.startAt ? formatDateTime(row.startAt, locale) : '—'}</td>
                  <td>
                    <a href={`#/reports/broadcast/${encodeURIComponent(row.id)}`} lang="vi">
                      {row.title}
                    </a>{' '}
                    {row.priority !== 'normal' && <PriorityLabel priority={row.priority} />}
                  </td>
                  <td>
                    <ReportStateBadge state={row.state} />
                  </td>
                  <td>
                    <DeliveryCounts entries={summaryEntries(row.summary)} />
                  </td>
                  <td class="number">{formatNumber(row.airings, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
