/** The emergencies reaching the user's area, active ones first, each linking to its live board. */
import { useLocale, useT } from '../i18n/index.js';
import { findArea } from '../lib/area-tree.js';
import { formatDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import type { EmergencySummary } from './emergency-board.js';
import { hazardName } from './emergency-form.js';

export function EmergencyList() {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  const list = useApi<EmergencySummary[]>('/api/emergency');
  return (
    <section class="emergency-recent" data-testid="emergency-list">
      <h2>{t('emergency.list.title')}</h2>
      {list.error && (
        <p class="notice error" role="alert">
          {t('app.error', { message: list.error.message })}{' '}
          <button type="button" class="link-button" onClick={list.reload}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {list.loading && !list.data && <p>{t('app.loading')}</p>}
      {list.data && list.data.length === 0 && <p class="muted">{t('emergency.list.empty')}</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('emergency.list.sentAt')}</th>
                <th>{t('emergency.list.message')}</th>
                <th>{t('emergency.hazard.label')}</th>
                <th>{t('emergency.confirm.areas')}</th>
                <th>{t('emergency.list.state')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((emergency) => (
                <tr key={emergency.id} data-testid="emergency-list-row" data-emergency-id={emergency.id} data-state={emergency.state}>
                  <td class="nowrap">{formatDateTime(emergency.createdAt, locale)}</td>
                  <td lang="vi">
                    <a href={`#/emergency/${encodeURIComponent(emergency.id)}`} data-testid="emergency-list-link">
                      {emergency.title}
                    </a>
                  </td>
                  <td>{hazardName(t, emergency.hazard) || '—'}</td>
                  <td>{emergency.areaIds.map((id) => findArea(areas, id)?.name ?? id).join(', ')}</td>
                  <td>
                    <span class={`badge emergency-state ${emergency.state}`}>{t(`emergency.status.${emergency.state}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
