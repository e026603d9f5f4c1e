/** The coloured labels of the report pages: a delivery's state, a broadcast's state, its priority. */
import { useLocale, useT } from '../i18n/index.js';
import { formatNumber } from '../lib/format.js';
import type { DeliveryState, Priority, ReportState } from '../lib/report-broadcast.js';

export function DeliveryBadge({ state }: { state: DeliveryState }) {
  const t = useT();
  return (
    <span class={`badge ${state}`} data-testid="delivery-state" data-state={state}>
      {t(`reports.delivery.${state}`)}
    </span>
  );
}

export function ReportStateBadge({ state }: { state: ReportState }) {
  const t = useT();
  return (
    <span class={`badge report-state ${state}`} data-testid="report-state" data-state={state}>
      {t(`reports.state.${state}`)}
    </span>
  );
}

export function PriorityLabel({ priority }: { priority: Priority }) {
  const t = useT();
  return <span class={priority === 'high' || priority === 'emergency' ? `badge priority ${priority}` : 'priority'}>{t(`reports.priority.${priority}`)}</span>;
}

/** "2 đã phát · 1 lỗi": deliveries by state, each in its colour. */
export function DeliveryCounts({ entries }: { entries: readonly (readonly [DeliveryState, number])[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <span class="delivery-counts">
      {entries.map(([state, count]) => (
        <span key={state} class={`badge ${state}`} data-state={state} data-count={count}>
          {t('reports.count', { count: formatNumber(count, locale), state: t(`reports.delivery.${state}`) })}
        </span>
      ))}
    </span>
  );
}
