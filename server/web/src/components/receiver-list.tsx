/** Every receiver the user may see, by area, live: state, volume, agent version, last report, clock. */
import { useMemo, useState } from 'preact/hooks';
import { useLocale, useT, type Translate } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { liveState, type LiveDevice } from '../lib/live-devices.js';
import { groupByArea } from '../lib/receiver-areas.js';
import { useSession } from '../session.js';

export function ReceiverList({ devices }: { devices: ReadonlyMap<string, LiveDevice> }) {
  const t = useT();
  const { areas } = useSession();
  const [filter, setFilter] = useState('');
  const [offlineOnly, setOfflineOnly] = useState(false);
  const groups = useMemo(() => groupByArea(areas, devices.values(), { text: filter, offlineOnly }), [areas, devices, filter, offlineOnly]);
  return (
    <>
      <div class="actions receiver-filters">
        <input
          type="search"
          class="receiver-filter"
          placeholder={t('receivers.list.filter')}
          aria-label={t('receivers.list.filter')}
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <label class="receiver-check">
          <input type="checkbox" checked={offlineOnly} onChange={(e) => setOfflineOnly(e.currentTarget.checked)} />
          {t('receivers.list.offlineOnly')}
        </label>
      </div>
      {devices.size === 0 && <p class="muted">{t('receivers.list.empty')}</p>}
      {devices.size > 0 && groups.length === 0 && <p class="muted">{t('receivers.list.noMatch')}</p>}
      {groups.map((group) => (
        <section key={group.areaId} class="receiver-group" data-testid="receiver-group" data-area-id={group.areaId}>
          <h3>{group.path}</h3>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('receivers.col.name')}</th>
                  <th>{t('receivers.col.state')}</th>
                  <th>{t('receivers.col.volume')}</th>
                  <th>{t('receivers.col.version')}</th>
                  <th>{t('receivers.col.lastSeen')}</th>
                  <th>{t('receivers.col.clock')}</th>
                </tr>
              </thead>
              <tbody>
                {group.receivers.map((device) => (
                  <ReceiverRow key={device.id} device={device} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

function ReceiverRow({ device }: { device: LiveDevice }) {
  const t = useT();
  const { locale } = useLocale();
  const state = liveState(device);
  return (
    <tr data-testid="receiver-row" data-device-id={device.id} data-state={state} data-volume={device.volume}>
      <td>
        <a href={`#/receivers/${encodeURIComponent(device.id)}`} data-testid="receiver-link">
          {device.name}
        </a>
        {state === 'playing' && device.playingTitle && <span class="muted small receiver-playing">{device.playingTitle}</span>}
      </td>
      <td>
        <ReceiverStateBadge device={device} />
      </td>
      <td data-testid="receiver-volume">{device.volume}</td>
      <td>{device.agentVersion ?? '—'}</td>
      <td class="receiver-nowrap">{device.lastSeenAt ? formatDateTime(device.lastSeenAt, locale) : t('receivers.never')}</td>
      <td class="receiver-nowrap">{clockText(t, device.clockOffsetMs)}</td>
    </tr>
  );
}

export function ReceiverStateBadge({ device }: { device: LiveDevice }) {
  const t = useT();
  const state = liveState(device);
  return (
    <span class={`badge ${state}`} data-testid="receiver-state">
      {t(`receivers.state.${state}` as const)}
    </span>
  );
}

export function clockText(t: Translate, offsetMs: number | null): string {
  if (offsetMs === null) return '—';
  const rounded = Math.round(offsetMs);
  return t('receivers.clockMs', { ms: rounded > 0 ? `+${rounded}` : String(rounded) });
}
