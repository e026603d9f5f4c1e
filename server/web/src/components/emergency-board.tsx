/**
 * The live board of one emergency: the counts per state, every receiver turning from pending to
 * playing to played (or failed, with why) as its reports arrive over server-sent events, the
 * airings of a standing alert, and the Stop button.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { findArea } from '../lib/area-tree.js';
import { formatDateTime, formatNumber, formatTimeWithSeconds } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { useEventSource } from '../lib/use-event-source.js';
import { useSession } from '../session.js';
import { hazardName, signalName } from './emergency-form.js';

/** server/emergency/emergency-board.ts BOARD_STATES, in the order a receiver passes through them. */
export const BOARD_STATES = ['pending', 'received', 'ready', 'playing', 'played', 'failed', 'offline', 'stopped'] as const;
export type BoardState = (typeof BOARD_STATES)[number];
export type EmergencyState = 'active' | 'stopped' | 'superseded' | 'expired';

/** GET /api/emergency/:id `emergency` and each of GET /api/emergency (dates as ISO strings). */
export interface EmergencySummary {
  readonly id: string;
  readonly broadcastId: string;
  readonly bulletinId: string;
  readonly title: string;
  readonly state: EmergencyState;
  readonly hazard: string | null;
  readonly signal: { readonly name: string; readonly sha256: string } | null;
  readonly repeat: number;
  readonly gapSeconds: number;
  readonly validityMinutes: number;
  readonly cadence: { readonly everyMinutes: number; readonly alignTo: 'hour' | 'none' } | null;
  readonly areaIds: readonly string[];
  readonly nextAiringAt: string | null;
  readonly endsAt: string;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
  readonly endReason: string | null;
  readonly supersededById: string | null;
  readonly capAlertId: string | null;
  readonly createdAt: string;
}

type Counts = Readonly<Record<BoardState, number>>;

interface BoardReceiver {
  readonly deviceId: string;
  readonly name: string;
  readonly areaId: string;
  readonly online: boolean;
  readonly state: BoardState;
  readonly sentAt: string | null;
  readonly startedAt: string | null;
  readonly messageStartedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

interface BoardAiring {
  readonly occurrenceId: string;
  readonly startAt: string;
  readonly expiresAt: string;
  readonly counts: Counts;
}

export interface EmergencyBoardView {
  readonly emergency: EmergencySummary;
  readonly airings: readonly BoardAiring[];
  readonly counts: Counts & { readonly total: number };
  readonly receivers: readonly BoardReceiver[];
}

/** Counts the board may hold beyond the known states (a newer server) are shown too, after them. */
function countEntries(counts: Counts & { readonly total: number }): [string, number][] {
  const extra = Object.keys(counts).filter((key) => key !== 'total' && !(BOARD_STATES as readonly string[]).includes(key));
  return [...BOARD_STATES, ...extra].map((state) => [state, (counts as Record<string, number>)[state] ?? 0]);
}

export function EmergencyBoard({ id }: { id: string }) {
  const t = useT();
  const { locale } = useLocale();
  const path = `/api/emergency/${encodeURIComponent(id)}`;
  const loaded = useApi<EmergencyBoardView>(path);
  const [live, setLive] = useState<EmergencyBoardView | undefined>(undefined);
  // The stream opens once the emergency is known to exist and be visible: a refused EventSource only says "error".
  const { connected } = useEventSource<EmergencyBoardView>(loaded.data ? `${path}/events` : null, 'board', setLive);
  const board = live ?? loaded.data;

  if (!board) {
    if (loaded.error) {
      return (
        <div class="notice error" role="alert" data-testid="emergency-board-error">
          {loaded.error.status === 404 ? t('emergency.board.notFound') : t('app.error', { message: loaded.error.message })}
          <p>
            <a href="#/emergency">{t('emergency.board.back')}</a>
          </p>
        </div>
      );
    }
    return <p>{t('app.loading')}</p>;
  }

  const { emergency, counts, receivers, airings } = board;
  const receiverName = (a: BoardReceiver, b: BoardReceiver) => a.name.localeCompare(b.name, 'vi');
  return (
    <div class="emergency-board" data-testid="emergency-board" data-emergency-id={emergency.id} data-emergency-state={emergency.state}>
      <p class="emergency-board-nav">
        <a href="#/emergency">← {t('emergency.board.back')}</a>
      </p>
      <div class="emergency-board-head">
        <div>
          <h2 class="emergency-board-title" lang="vi">
            {emergency.title}
          </h2>
          <p class="muted small">
            {t('emergency.board.sentAt', { time: formatDateTime(emergency.createdAt, locale) })}
            {emergency.hazard && ` · ${hazardName(t, emergency.hazard)}`}
          </p>
        </div>
        <div class="emergency-board-status">
          <span class={`badge emergency-state ${emergency.state}`} data-testid="emergency-state">
            {t(`emergency.status.${emergency.state}`)}
          </span>
          <span class={connected ? 'board-live connected' : 'board-live'} data-testid="board-live" data-connected={String(connected)} role="status">
            <span class="board-live-dot" aria-hidden="true" />
            {connected ? t('app.live') : t('app.reconnecting')}
          </span>
        </div>
      </div>

      <BoardCounts counts={counts} />

      {emergency.state === 'active' && <StopEmergency id={emergency.id} onStopped={(summary) => setLive({ ...board, emergency: summary })} />}

      <Details emergency={emergency} />

      <h3>{t('emergency.board.receivers', { count: formatNumber(counts.total, locale) })}</h3>
      {receivers.length === 0 ? (
        <p class="muted">{t('emergency.board.noReceivers')}</p>
      ) : (
        <ul class="board-receivers" data-testid="board-receivers">
          {[...receivers].sort(receiverName).map((receiver) => (
            <ReceiverRow key={receiver.deviceId} receiver={receiver} />
          ))}
        </ul>
      )}

      {airings.length > 1 && <Airings airings={airings} />}
    </div>
  );
}

function BoardCounts({ counts }: { counts: Counts & { readonly total: number } }) {
  const t = useT();
  const { locale } = useLocale();
  const entries = countEntries(counts);
  return (
    <section aria-label={t('emergency.board.counts')}>
      <div class="board-progress" aria-hidden="true">
        {entries
          .filter(([, count]) => count > 0)
          .map(([state, count]) => (
            <span key={state} class={`board-progress-part state-${state}`} style={{ flexGrow: count }} />
          ))}
      </div>
      <div class="board-counts" data-testid="board-counts" data-total={counts.total}>
        <div class="board-count total" data-state="total">
          <span class="value">{formatNumber(counts.total, locale)}</span>
          <span class="label">{t('emergency.board.total')}</span>
        </div>
        {entries.map(([state, count]) => (
          <div key={state} class={count > 0 ? `board-count state-${state}` : `board-count state-${state} zero`} data-state={state} data-count={count}>
            <span class="value">{formatNumber(count, locale)}</span>
            <span class="label">{stateLabel(t, state)}</span>
          </div>
        ))}
      </div>
    </section>
  );
}

function stateLabel(t: ReturnType<typeof useT>, state: string): string {
  return (BOARD_STATES as readonly string[]).includes(state) ? t(`emergency.state.${state as BoardState}`) : state;
}

function ReceiverRow({ receiver }: { receiver: BoardReceiver }) {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  const time = (value: string | null) => (value ? formatTimeWithSeconds(value, locale) : null);
  const signalAt = time(receiver.startedAt);
  const messageAt = time(receiver.messageStartedAt);
  const finishedAt = time(receiver.finishedAt);
  return (
    <li class={`board-row state-${receiver.state}`} data-testid="board-row" data-device-id={receiver.deviceId} data-state={receiver.state}>
      <div class="board-row-head">
        <div>
          <strong>{receiver.name}</strong>
          <span class="muted small board-row-area">{findArea(areas, receiver.areaId)?.name ?? ''}</span>
        </div>
        <span class={`badge ${receiver.state}`} data-testid="board-row-state">
          {stateLabel(t, receiver.state)}
        </span>
      </div>
      <dl class="board-row-times">
        <dt>{t('emergency.board.signalStarted')}</dt>
        <dd>{signalAt ?? '—'}</dd>
        <dt>{t('emergency.board.messageStarted')}</dt>
        <dd>{messageAt ?? '—'}</dd>
        {finishedAt && (
          <>
            <dt>{t('emergency.board.finished')}</dt>
            <dd>{finishedAt}</dd>
          </>
        )}
      </dl>
      {!receiver.online && receiver.state !== 'offline' && <p class="muted small">{t('emergency.board.nowOffline')}</p>}
      {receiver.error && (
        <p class="board-row-error" data-testid="board-row-error">
          {t('emergency.board.reason', { reason: receiver.error })}
        </p>
      )}
    </li>
  );
}

function Details({ emergency }: { emergency: EmergencySummary }) {
  const t = useT();
  const { locale } = useLocale();
  const { areas } = useSession();
  return (
    <details class="card emergency-details">
      <summary>{t('emergency.board.details')}</summary>
      <dl class="emergency-facts">
        <dt>{t('emergency.confirm.areas')}</dt>
        <dd>{emergency.areaIds.map((id) => findArea(areas, id)?.name ?? id).join(', ')}</dd>
        <dt>{t('emergency.confirm.signal')}</dt>
        <dd>{emergency.signal ? signalName(t, emergency.signal.name) : t('emergency.signal.none')}</dd>
        <dt>{t('emergency.confirm.repeat')}</dt>
        <dd>
          {t('emergency.confirm.times', { count: emergency.repeat })} · {t('emergency.board.gap', { s: emergency.gapSeconds })}
        </dd>
        <dt>{t('emergency.validity.label')}</dt>
        <dd>{formatNumber(emergency.validityMinutes, locale, 1)}</dd>
        {emergency.cadence && (
          <>
            <dt>{t('emergency.confirm.cadence')}</dt>
            <dd>
              {t('emergency.board.every', { minutes: emergency.cadence.everyMinutes })}
              {emergency.nextAiringAt && ` · ${t('emergency.board.nextAiring', { time: formatDateTime(emergency.nextAiringAt, locale) })}`}
            </dd>
          </>
        )}
        <dt>{t('emergency.board.endsAt')}</dt>
        <dd>{formatDateTime(emergency.endedAt ?? emergency.endsAt, locale)}</dd>
        {emergency.endReason && (
          <>
            <dt>{t('emergency.board.endReason')}</dt>
            <dd>{emergency.endReason}</dd>
          </>
        )}
        {emergency.supersededById && (
          <>
            <dt>{t('emergency.status.superseded')}</dt>
            <dd>
              <a href={`#/emergency/${encodeURIComponent(emergency.supersededById)}`}>{t('emergency.board.newer')}</a>
            </dd>
          </>
        )}
      </dl>
    </details>
  );
}

function Airings({ airings }: { airings: readonly BoardAiring[] }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <section data-testid="board-airings">
      <h3>{t('emergency.board.airings', { count: airings.length })}</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('emergency.board.airingStart')}</th>
              <th>{t('emergency.state.played')}</th>
              <th>{t('emergency.state.playing')}</th>
              <th>{t('emergency.state.failed')}</th>
              <th>{t('emergency.state.offline')}</th>
            </tr>
          </thead>
          <tbody>
            {airings.map((airing) => (
              <tr key={airing.occurrenceId} data-testid="board-airing">
                <td>{formatDateTime(airing.startAt, locale)}</td>
                <td>{airing.counts.played}</td>
                <td>{airing.counts.playing}</td>
                <td>{airing.counts.failed}</td>
                <td>{airing.counts.offline}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function StopEmergency({ id, onStopped }: { id: string; onStopped: (summary: EmergencySummary) => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const stop = async () => {
    setStopping(true);
    setError(null);
    try {
      onStopped(await api.post<EmergencySummary>(`/api/emergency/${encodeURIComponent(id)}/stop`));
      setAsking(false);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setStopping(false);
    }
  };
  return (
    <div class="emergency-stop-box">
      {!asking ? (
        <button type="button" class="emergency-stop" data-testid="emergency-stop" onClick={() => setAsking(true)}>
          {t('emergency.stop.button')}
        </button>
      ) : (
        <div class="emergency-stop-confirm" role="alertdialog" aria-labelledby="emergency-stop-question">
          <p id="emergency-stop-question">
            <strong>{t('emergency.stop.question')}</strong>
          </p>
          <div class="actions">
            <button type="button" class="danger" data-testid="emergency-stop-confirm" disabled={stopping} onClick={() => void stop()}>
              {stopping ? t('emergency.stop.stopping') : t('emergency.stop.confirm')}
            </button>
            <button type="button" data-testid="emergency-stop-cancel" disabled={stopping} onClick={() => setAsking(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="notice error" role="alert" data-testid="emergency-stop-error">
          {error.status === 403 ? t('emergency.error.forbidden') : error.status === 0 ? t('app.networkError') : t('app.error', { message: error.message })}
        </p>
      )}
    </div>
  );
}
