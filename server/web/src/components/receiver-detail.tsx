/**
 * `#/receivers/<id>`: one receiver, live. What it is doing and where it stands, then what the
 * user's permissions allow: volume and stop (devices:control); name, area and its credential
 * (devices:manage). Its recent playback events follow what the live feed says it plays.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { areaPathText } from '../lib/receiver-areas.js';
import { eventsRevision } from '../lib/receiver-events.js';
import { mergeReceiver, type ReceiverView } from '../lib/receiver-live.js';
import type { LiveDevice } from '../lib/live-devices.js';
import { useEventSource } from '../lib/use-event-source.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import { ReceiverAccess } from './receiver-access.js';
import { ReceiverEdit } from './receiver-edit.js';
import { ReceiverErrorNotice } from './receiver-error.js';
import { ReceiverEvents } from './receiver-events.js';
import { clockText, ReceiverStateBadge } from './receiver-list.js';
import { ReceiverStop, ReceiverVolume } from './receiver-controls.js';

export function ReceiverDetail({ id }: { id: string }) {
  const t = useT();
  const session = useSession();
  const loaded = useApi<ReceiverView>(`/api/devices/${encodeURIComponent(id)}`);
  // Whatever says something about the receiver last is the freshest: the load, a change's answer or the live feed.
  const [device, setDevice] = useState<ReceiverView | undefined>(undefined);
  useEffect(() => {
    if (loaded.data) setDevice(loaded.data);
  }, [loaded.data]);
  const { connected } = useEventSource<LiveDevice[]>('/api/live/devices', 'devices', (update) => {
    const live = update.find((candidate) => candidate.id === id);
    if (live) setDevice((current) => mergeReceiver(current, live));
  });

  return (
    <section class="receiver-detail" data-testid="receiver-detail" data-device-id={id}>
      <p>
        <a href="#/receivers" data-testid="receiver-back">
          {t('receivers.detail.back')}
        </a>
      </p>
      {loaded.error && !device && <ReceiverErrorNotice error={loaded.error} testId="receiver-detail-error" />}
      {loaded.loading && !device && <p>{t('app.loading')}</p>}
      {device && (
        <>
          <div class="receiver-head">
            <h1 data-testid="receiver-title">{device.name}</h1>
            <ReceiverStateBadge device={device} />
            <span class={connected ? 'badge live' : 'badge'}>{connected ? t('app.live') : t('app.reconnecting')}</span>
          </div>
          <ReceiverFacts device={device} />
          {session.may('devices:control') && (
            <div class="card receiver-controls">
              <h2>{t('receivers.control.title')}</h2>
              <ReceiverVolume device={device} onChanged={setDevice} />
              <ReceiverStop device={device} />
            </div>
          )}
          <ReceiverEvents id={device.id} revision={eventsRevision(device)} />
          {session.may('devices:manage') && (
            <>
              <ReceiverEdit device={device} onChanged={setDevice} />
              <ReceiverAccess device={device} onChanged={setDevice} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function ReceiverFacts({ device }: { device: ReceiverView }) {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  return (
    <div class="card">
      <dl class="receiver-facts">
        <dt>{t('receivers.col.area')}</dt>
        <dd data-testid="receiver-area-path">{areaPathText(areas, device.areaId) || device.areaId}</dd>
        <dt>{t('receivers.detail.playing')}</dt>
        <dd data-testid="receiver-playing">{device.online && device.playing ? (device.playingTitle ?? t('receivers.untitled')) : t('receivers.detail.nothing')}</dd>
        <dt>{t('receivers.col.volume')}</dt>
        <dd data-testid="receiver-volume-now">{device.volume}</dd>
        <dt>{t('receivers.col.lastSeen')}</dt>
        <dd>{device.lastSeenAt ? formatDateTime(device.lastSeenAt, locale) : t('receivers.never')}</dd>
        <dt>{t('receivers.col.version')}</dt>
        <dd>{device.agentVersion ?? '—'}</dd>
        <dt>{t('receivers.col.clock')}</dt>
        <dd>
          {clockText(t, device.clockOffsetMs)}
        </dd>
        {device.revokedAt && (
          <>
            <dt>{t('receivers.detail.revokedAt')}</dt>
            <dd>{formatDateTime(device.revokedAt, locale)}</dd>
          </>
        )}
        {device.lat !== null && device.lat !== undefined && device.lon !== null && device.lon !== undefined && (
          <>
            <dt>{t('receivers.field.location')}</dt>
            <dd>
              {device.lat}, {device.lon}
            </dd>
          </>
        )}
        <dt>{t('receivers.setup.id')}</dt>
        <dd>
          <code>{device.id}</code>
        </dd>
      </dl>
    </div>
  );
}

