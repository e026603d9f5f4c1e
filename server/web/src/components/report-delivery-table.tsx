/**
 * Proof of play: one row per receiver and airing with its state, the times it was sent, received,
 * downloaded, started and finished (Vietnam time, to the second) and why it did not play. A
 * filter by state, and the same table as CSV in the console's language.
 */
import { useState } from 'preact/hooks';
import { useLocale, useT, type Translate } from '../i18n/index.js';
import { formatDate, formatNumber, formatTimeWithSeconds } from '../lib/format.js';
import { deliveryRows, isDeliveryState, stateCounts, type DeliveryState, type DeliveryView, type OccurrenceView } from '../lib/report-broadcast.js';
import { DeliveryBadge } from './report-badges.js';

interface Props {
  readonly broadcastId: string;
  readonly deliveries: readonly DeliveryView[];
  readonly occurrences: readonly OccurrenceView[];
  readonly placeOf: (deviceId: string) => string;
}

export function ReportDeliveryTable({ broadcastId, deliveries, occurrences, placeOf }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [state, setState] = useState<DeliveryState | null>(null);
  const counts = stateCounts(deliveries);
  const rows = deliveryRows(deliveries, occurrences, state, placeOf);
  const manyAirings = new Set(deliveries.map((d) => d.occurrenceId)).size > 1;
  const time = (value: string | null) => (value ? formatTimeWithSeconds(value, locale) : '—');
  return (
    <section class="report-deliveries" data-testid="report-deliveries">
      <div class="report-section-head">
        <h2>{t('reports.deliveries.title', { count: formatNumber(deliveries.length, locale) })}</h2>
        <a class="csv-link" href={`/api/broadcasts/${encodeURIComponent(broadcastId)}/deliveries.csv?lang=${locale}`} download data-testid="report-deliveries-csv">
          {t('reports.csv')}
        </a>
      </div>
      {deliveries.length === 0 ? (
        <p class="muted" data-testid="report-deliveries-empty">
          {t('reports.deliveries.none')}
        </p>
      ) : (
        <>
          <div class="actions">
            <label class="inline-field">
              {t('reports.deliveries.filter')}
              <select value={state ?? ''} data-testid="delivery-filter" onChange={(e) => setState(isDeliveryState(e.currentTarget.value) ? e.currentTarget.value : null)}>
                <option value="">{t('reports.deliveries.all', { count: formatNumber(deliveries.length, locale) })}</option>
                {counts.map(([value, count]) => (
                  <option key={value} value={value}>
                    {t('reports.count', { state: t(`reports.delivery.${value}`), count: formatNumber(count, locale) })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div class="table-wrap">
            <table class="report-table" data-testid="delivery-table">
              <thead>
                <tr>
                  {manyAirings && <th>{t('reports.deliveries.col.airing')}</th>}
                  <th>{t('reports.deliveries.col.receiver')}</th>
                  <th>{t('reports.deliveries.col.area')}</th>
                  <th>{t('reports.deliveries.col.state')}</th>
                  <th>{t('reports.deliveries.col.sent')}</th>
                  <th>{t('reports.deliveries.col.received')}</th>
                  <th>{t('reports.deliveries.col.downloaded')}</th>
                  <th>{t('reports.deliveries.col.started')}</th>
                  <th>{t('reports.deliveries.col.finished')}</th>
                  <th>{t('reports.deliveries.col.why')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.occurrenceId}:${row.deviceId}`} data-testid="delivery-row" data-device-id={row.deviceId} data-state={row.state}>
                    {manyAirings && <td class="nowrap">{row.airingAt ? `${formatDate(row.airingAt, locale)} ${formatTimeWithSeconds(row.airingAt, locale)}` : '—'}</td>}
                    <td>{row.deviceName}</td>
                    <td>{row.place}</td>
                    <td>
                      <DeliveryBadge state={row.state} />
                    </td>
                    <td class="nowrap" data-col="sent">{time(row.sentAt)}</td>
                    <td class="nowrap" data-col="received">{time(row.receivedAt)}</td>
                    <td class="nowrap" data-col="downloaded">{time(row.downloadedAt)}</td>
                    <td class="nowrap" data-col="started">{time(row.startedAt)}</td>
                    <td class="nowrap" data-col="finished">{time(row.finishedAt)}</td>
                    <td class={row.error ? 'report-why error' : 'report-why muted'} data-col="why">
                      {whyNotPlayed(t, row.state, row.error)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p class="muted">{t('reports.deliveries.noneInState')}</p>}
        </>
      )}
    </section>
  );
}

/** The receiver's own reason when it gave one, else what the state itself means. */
function whyNotPlayed(t: Translate, state: DeliveryState, error: string | null): string {
  if (error) return error;
  switch (state) {
    case 'missed':
    case 'expired':
    case 'preempted':
    case 'cancelled':
      return t(`reports.why.${state}`);
    default:
      return '';
  }
}
