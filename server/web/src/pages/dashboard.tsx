/**
 * What the network is doing now: receivers online and on air, by commune and by area, what is
 * playing and what comes next. Live from the server's receiver feed; nothing to reload.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { query } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { areaPath, subtreeIds, walkAreas } from '../lib/area-tree.js';
import { formatDateTime, formatTime, formatTimeWithSeconds } from '../lib/format.js';
import { countDevices, liveState, mergeDevices, onAir, type LiveDevice } from '../lib/live-devices.js';
import { useApi } from '../lib/use-api.js';
import { useEventSource } from '../lib/use-event-source.js';
import { useSession } from '../session.js';
import type { AreaNode, CalendarEntry } from '../types.js';
import '../styles/dashboard.css';

const NEXT_WINDOW_MS = 24 * 3_600_000;
const NEXT_REFRESH_MS = 60_000;
const NEXT_SHOWN = 6;

export function DashboardPage(_props: { path: string }) {
  const t = useT();
  const { areas } = useSession();
  const [devices, setDevices] = useState<Map<string, LiveDevice>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const { connected } = useEventSource<LiveDevice[]>('/api/live/devices', 'devices', (update) => {
    setDevices((current) => mergeDevices(current, update, !loaded));
    setLoaded(true);
  });
  const all = [...devices.values()];
  const counts = countDevices(all);
  const airing = onAir(all);

  return (
    <section class="dashboard" data-testid="dashboard">
      <div class="page-head">
        <h1>{t('dashboard.title')}</h1>
        <span class={connected ? 'badge live' : 'badge'} data-testid="live-indicator">
          {connected ? t('app.live') : t('app.reconnecting')}
        </span>
      </div>
      <div class="cards">
        <Stat label={t('dashboard.receivers')} value={counts.total} testId="stat-total" />
        <Stat label={t('dashboard.online')} value={counts.online} testId="stat-online" />
        <Stat label={t('dashboard.offline')} value={counts.total - counts.online} testId="stat-offline" tone={counts.total > counts.online ? 'bad' : undefined} />
        <Stat label={t('dashboard.playingNow')} value={counts.playing} testId="stat-playing" />
      </div>
      <div class="dashboard-columns">
        <div class="card">
          <h2>{t('dashboard.onAir')}</h2>
          {airing.length === 0 ? (
            <p class="muted">{t('dashboard.onAirNothing')}</p>
          ) : (
            <ul class="plain-list" data-testid="on-air">
              {airing.map((entry) => (
                <li key={entry.broadcastId}>
                  <a href={`#/reports/broadcast/${entry.broadcastId}`}>{entry.title ?? t('dashboard.untitled')}</a>{' '}
                  <span class="badge playing">{t('dashboard.onAirCount', { count: entry.count })}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <NextUp refreshKey={airing.map((entry) => entry.broadcastId).join()} />
      </div>
      <CommuneCounts areas={areas} devices={all} />
      {loaded && <DevicesByArea areas={areas} devices={devices} />}
    </section>
  );
}

function Stat({ label, value, testId, tone }: { label: string; value: number; testId: string; tone?: 'bad' | undefined }) {
  return (
    <div class={tone === 'bad' ? 'stat bad' : 'stat'} data-testid={testId}>
      <span class="value">{value}</span>
      <span class="muted">{label}</span>
    </div>
  );
}

function NextUp({ refreshKey }: { refreshKey: string }) {
  const t = useT();
  const { locale } = useLocale();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), NEXT_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => setNow(Date.now()), [refreshKey]);
  const window = query({ from: new Date(now).toISOString(), to: new Date(now + NEXT_WINDOW_MS).toISOString() });
  const { data } = useApi<{ occurrences: CalendarEntry[] }>(`/api/schedule${window}`);
  const next = (data?.occurrences ?? [])
    .filter((entry) => entry.state !== 'cancelled' && new Date(entry.startAt).getTime() > now)
    .sort((a, b) => a.startAt.localeCompare(b.startAt))
    .slice(0, NEXT_SHOWN);
  return (
    <div class="card">
      <h2>{t('dashboard.next')}</h2>
      {next.length === 0 ? (
        <p class="muted">{t('dashboard.nextNothing')}</p>
      ) : (
        <ul class="plain-list" data-testid="next-up">
          {next.map((entry) => (
            <li key={`${entry.broadcastId}:${entry.startAt}:${entry.repeatIndex}`}>
              <strong>{isToday(entry.startAt, now) ? formatTime(entry.startAt, locale) : formatDateTime(entry.startAt, locale)}</strong>{' '}
              <a href={`#/reports/broadcast/${entry.broadcastId}`}>{entry.title}</a>{' '}
              <span class="muted small">{t('areas.receivers', { count: entry.deviceCount })}</span>
              {entry.approvalState === 'pending' && <span class="badge pending">{t('dashboard.pendingApproval')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const isToday = (iso: string, now: number) => new Date(iso).getTime() - now < 12 * 3_600_000;

function CommuneCounts({ areas, devices }: { areas: readonly AreaNode[]; devices: readonly LiveDevice[] }) {
  const t = useT();
  const rows = useMemo(() => {
    const communes = [...walkAreas(areas)].filter((area) => area.kind === 'commune');
    return communes.map((commune) => {
      const inside = new Set(subtreeIds(commune));
      return { commune, counts: countDevices(devices.filter((device) => inside.has(device.areaId))) };
    });
  }, [areas, devices]);
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('dashboard.communes')}</h2>
      <div class="table-wrap">
        <table data-testid="commune-counts">
          <thead>
            <tr>
              <th>{t('dashboard.commune')}</th>
              <th>{t('dashboard.receivers')}</th>
              <th>{t('dashboard.online')}</th>
              <th>{t('dashboard.playingNow')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ commune, counts }) => (
              <tr key={commune.id}>
                <td>{commune.name}</td>
                <td>{counts.total}</td>
                <td>
                  {counts.online}
                  {counts.total > counts.online && <span class="badge offline">−{counts.total - counts.online}</span>}
                </td>
                <td>{counts.playing}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DevicesByArea({ areas, devices }: { areas: readonly AreaNode[]; devices: ReadonlyMap<string, LiveDevice> }) {
  const t = useT();
  const [filter, setFilter] = useState('');
  const [offlineOnly, setOfflineOnly] = useState(false);
  const needle = filter.trim().toLocaleLowerCase('vi');
  const groups = useMemo(() => {
    const byArea = new Map<string, LiveDevice[]>();
    for (const device of devices.values()) {
      if (offlineOnly && device.online) continue;
      if (needle && !device.name.toLocaleLowerCase('vi').includes(needle)) continue;
      byArea.set(device.areaId, [...(byArea.get(device.areaId) ?? []), device]);
    }
    return [...walkAreas(areas)]
      .filter((area) => byArea.has(area.id))
      .map((area) => ({
        area,
        path: areaPath(areas, area.id)
          .map((a) => a.name)
          .join(' › '),
        devices: byArea.get(area.id)!.sort((a, b) => a.name.localeCompare(b.name, 'vi')),
      }));
  }, [areas, devices, offlineOnly, needle]);

  return (
    <>
      <h2>{t('dashboard.byArea')}</h2>
      <div class="actions">
        <input type="search" class="filter-input" placeholder={t('dashboard.filter')} aria-label={t('dashboard.filter')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <label class="inline-check">
          <input type="checkbox" checked={offlineOnly} onChange={(e) => setOfflineOnly(e.currentTarget.checked)} />
          {t('dashboard.offlineOnly')}
        </label>
      </div>
      {devices.size === 0 && <p class="muted">{t('dashboard.noReceivers')}</p>}
      {groups.map((group) => (
        <div key={group.area.id} class="area-group">
          <h3>{group.path}</h3>
          <div class="table-wrap">
            <table data-testid="device-table">
              <thead>
                <tr>
                  <th>{t('dashboard.col.name')}</th>
                  <th>{t('dashboard.col.state')}</th>
                  <th>{t('dashboard.col.playing')}</th>
                  <th>{t('dashboard.col.volume')}</th>
                  <th>{t('dashboard.col.lastSeen')}</th>
                  <th>{t('dashboard.col.clock')}</th>
                </tr>
              </thead>
              <tbody>
                {group.devices.map((device) => (
                  <DeviceRow key={device.id} device={device} />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </>
  );
}

function DeviceRow({ device }: { device: LiveDevice }) {
  const t = useT();
  const { locale } = useLocale();
  const state = liveState(device);
  const last = device.lastPlay;
  return (
    <tr data-testid="device-row" data-device-id={device.id} data-state={state} data-last-outcome={last?.outcome ?? ''}>
      <td>{device.name}</td>
      <td>
        <span class={`badge ${state}`}>{t(`dashboard.state.${state}` as const)}</span>
      </td>
      <td>
        {state === 'playing' ? (
          <strong>{device.playingTitle ?? t('dashboard.untitled')}</strong>
        ) : last ? (
          <span class={last.outcome === 'failed' ? 'error' : undefined} title={last.reason ?? undefined}>
            {t('dashboard.lastPlay', {
              outcome: t(`dashboard.last.${last.outcome}` as const),
              title: last.title ?? t('dashboard.untitled'),
              time: formatTimeWithSeconds(last.at, locale),
            })}
          </span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td>{device.volume}</td>
      <td>{device.lastSeenAt ? formatDateTime(device.lastSeenAt, locale) : t('dashboard.never')}</td>
      <td>{device.clockOffsetMs === null ? '—' : t('dashboard.clockMs', { ms: Math.round(device.clockOffsetMs) })}</td>
    </tr>
  );
}
