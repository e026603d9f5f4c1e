/**
 * One broadcast's report: what it is (title, who, when, where, priority, approval), its audio, how
 * closely receivers started together at each airing, and what every receiver did. Reloads itself
 * while receivers are still reporting; a broadcast still to come or on air can be cancelled.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { areaPath, findArea } from '../lib/area-tree.js';
import { durationParts, formatDateTime, formatNumber, formatTimeWithSeconds, formatDate } from '../lib/format.js';
import {
  airingsToShow,
  authorOf,
  canBeCancelled,
  placeName,
  reportStateOf,
  startedTogether,
  stillMoving,
  type BroadcastView,
  type BulletinView,
  type OccurrenceView,
  type ReportState,
} from '../lib/report-broadcast.js';
import { vietnamToday } from '../lib/report-period.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import type { Device } from '../types.js';
import { PriorityLabel, ReportStateBadge } from './report-badges.js';
import { ReportDeliveryTable } from './report-delivery-table.js';
import { ReportLoadError } from './report-load-error.js';

const RELOAD_MS = 5_000;

export function ReportBroadcast({ id }: { id: string }) {
  const t = useT();
  const { areas } = useSession();
  const broadcast = useApi<BroadcastView>(`/api/broadcasts/${encodeURIComponent(id)}`);
  const view = broadcast.data;
  const bulletin = useApi<BulletinView>(view ? `/api/bulletins/${encodeURIComponent(view.bulletinId)}` : null);
  const devices = useApi<Device[]>('/api/devices');
  const now = new Date();
  const state = view ? reportStateOf(view, now, vietnamToday(now)) : null;
  const moving = view && state ? stillMoving(state, view, now) : false;
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(broadcast.reload, RELOAD_MS);
    return () => clearInterval(timer);
  }, [moving, broadcast.reload]);

  const deviceById = useMemo(() => new Map((devices.data ?? []).map((device) => [device.id, device])), [devices.data]);
  // The server lists the user's own receivers only: a commune reading what its district sent sees its own speakers.
  const areaOfDevice = useMemo(() => new Map((view?.deliveries ?? []).map((d) => [d.deviceId, d.deviceAreaId])), [view]);

  if (!view || !state) {
    return (
      <>
        <BackLink />
        {broadcast.error ? <ReportLoadError error={broadcast.error} onRetry={broadcast.reload} /> : <p>{t('app.loading')}</p>}
      </>
    );
  }
  const placeOf = (deviceId: string) => {
    const areaId = areaOfDevice.get(deviceId);
    return areaId ? placeName(areaPath(areas, areaId)) : '—';
  };
  return (
    <div class="report-broadcast" data-testid="report-broadcast" data-broadcast-id={view.id} data-state={state}>
      <BackLink />
      <h1 lang="vi" data-testid="report-broadcast-title">
        {bulletin.data?.title ?? (bulletin.error ? t('reports.broadcast.untitled') : '…')}
      </h1>
      <Summary view={view} state={state} devices={deviceById} />
      {bulletin.data && <Listen bulletin={bulletin.data} />}
      {canBeCancelled(state) && <CancelBroadcast id={view.id} onCancelled={(next) => broadcast.setData(next)} />}
      <Airings view={view} now={now} />
      <ReportDeliveryTable broadcastId={view.id} deliveries={view.deliveries} occurrences={view.occurrences} placeOf={placeOf} />
    </div>
  );
}

function BackLink() {
  const t = useT();
  return (
    <p class="report-back">
      <a href="#/reports">← {t('reports.broadcast.back')}</a>
    </p>
  );
}

function Summary({ view, state, devices }: { view: BroadcastView; state: ReportState; devices: ReadonlyMap<string, Device> }) {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  const author = authorOf(view.approvals);
  const targets = [
    ...(view.target.areaIds ?? []).map((areaId) => findArea(areas, areaId)?.name ?? t('reports.broadcast.areaAbove')),
    ...(view.target.deviceIds ?? []).map((deviceId) => devices.get(deviceId)?.name ?? t('reports.broadcast.otherReceiver')),
  ];
  return (
    <div class="card report-summary" data-testid="report-summary">
      <dl class="report-facts">
        <dt>{t('reports.broadcast.state')}</dt>
        <dd>
          <ReportStateBadge state={state} />
        </dd>
        <dt>{t('reports.broadcast.when')}</dt>
        <dd data-testid="report-when">
          {view.recurrence ? t('reports.broadcast.recurring') : view.startAt ? formatDateTime(view.startAt, locale) : t('reports.broadcast.now')}
        </dd>
        <dt>{t('reports.broadcast.target')}</dt>
        <dd>{targets.length > 0 ? [...new Set(targets)].join(', ') : '—'}</dd>
        <dt>{t('reports.broadcast.priority')}</dt>
        <dd>
          <PriorityLabel priority={view.priority} />
        </dd>
        <dt>{t('reports.broadcast.author')}</dt>
        <dd>{t('reports.broadcast.createdBy', { who: author ?? t('reports.broadcast.system'), time: formatDateTime(view.createdAt, locale) })}</dd>
        <dt>{t('reports.broadcast.approval')}</dt>
        <dd>
          <span class={`badge ${view.approvalState}`}>{t(`reports.approval.${view.approvalState}`)}</span>
        </dd>
      </dl>
      {view.approvals.length > 0 && (
        <details class="report-history">
          <summary>{t('reports.broadcast.history', { count: view.approvals.length })}</summary>
          <ol>
            {view.approvals.map((step, index) => (
              <li key={index}>
                <span class="nowrap">{formatDateTime(step.at, locale)}</span> · {step.username ?? t('reports.broadcast.system')} ·{' '}
                {step.from === null ? t('reports.approval.created', { state: t(`reports.approval.${step.to}`) }) : t(`reports.approval.to.${step.to}`)}
                {step.reason && <span class="muted"> — {step.reason}</span>}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function Listen({ bulletin }: { bulletin: BulletinView }) {
  const t = useT();
  const { m, s } = durationParts(bulletin.audio.durationMs);
  return (
    <div class="report-listen">
      <span>{t('reports.broadcast.listen', { duration: m > 0 ? t('duration.minutes', { m, s }) : t('duration.seconds', { s }) })}</span>
      <audio controls preload="none" src={bulletin.audio.url} data-testid="report-audio" />
    </div>
  );
}

function CancelBroadcast({ id, onCancelled }: { id: string; onCancelled: (view: BroadcastView) => void }) {
  const t = useT();
  const session = useSession();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!session.may('broadcasts:write')) return null;
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      onCancelled(await api.post<BroadcastView>(`/api/broadcasts/${encodeURIComponent(id)}/cancel`));
      setAsking(false);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="report-cancel">
      {!asking ? (
        <button type="button" class="danger" data-testid="report-cancel" onClick={() => setAsking(true)}>
          {t('reports.cancel.button')}
        </button>
      ) : (
        <div class="report-cancel-confirm" role="alertdialog" aria-labelledby="report-cancel-question">
          <p id="report-cancel-question">
            <strong>{t('reports.cancel.question')}</strong>
          </p>
          <p class="small">{t('reports.cancel.explain')}</p>
          <div class="actions">
            <button type="button" class="danger" data-testid="report-cancel-confirm" disabled={busy} onClick={() => void cancel()}>
              {busy ? t('reports.cancel.busy') : t('reports.cancel.confirm')}
            </button>
            <button type="button" data-testid="report-cancel-keep" disabled={busy} onClick={() => setAsking(false)}>
              {t('reports.cancel.keep')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="notice error" role="alert" data-testid="report-cancel-error">
          {error.status === 403 ? t('reports.cancel.forbidden') : error.status === 0 ? t('app.networkError') : t('app.error', { message: error.message })}
        </p>
      )}
    </div>
  );
}

function Airings({ view, now }: { view: BroadcastView; now: Date }) {
  const t = useT();
  const { locale } = useLocale();
  const shown = airingsToShow(view.occurrences, view.deliveries, now);
  if (shown.length === 0) return null;
  return (
    <section class="report-airings" data-testid="report-airings">
      <h2>{t('reports.airings.title')}</h2>
      {view.occurrences.length > shown.length && <p class="muted small">{t('reports.airings.some', { shown: shown.length, total: view.occurrences.length })}</p>}
      <ul class="report-airing-list">
        {shown.map((occurrence) => (
          <li key={occurrence.id} class="card report-airing" data-testid="report-airing" data-occurrence-id={occurrence.id}>
            <div class="report-airing-head">
              <strong>
                {formatDate(occurrence.startAt, locale)} {formatTimeWithSeconds(occurrence.startAt, locale)}
              </strong>
              <span class={`badge airing ${occurrence.state}`}>{t(`reports.airing.${occurrence.state}`)}</span>
            </div>
            <SyncLine occurrence={occurrence} started={Date.parse(occurrence.startAt) <= now.getTime()} />
            {occurrence.note && <p class="muted small">{occurrence.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SyncLine({ occurrence, started }: { occurrence: OccurrenceView; started: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const sync = occurrence.startSync;
  if (!sync) return started ? <p class="muted small">{t('reports.sync.none')}</p> : null;
  const ms = (value: number) => formatNumber(Math.round(value), locale);
  const together = startedTogether(sync);
  return (
    <p class="report-sync" data-testid="report-sync" data-spread-ms={sync.spreadMs}>
      {sync.receivers === 1
        ? t('reports.sync.one', { error: ms(sync.maxErrorMs) })
        : t('reports.sync.many', { count: sync.receivers, spread: ms(sync.spreadMs), error: ms(sync.maxErrorMs) })}{' '}
      {sync.receivers > 1 && <span class={together ? 'badge ok' : 'badge playing'}>{together ? t('reports.sync.together') : t('reports.sync.echo')}</span>}
    </p>
  );
}
