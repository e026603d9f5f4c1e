/** The receiver's latest playback events, newest first, read again whenever the live feed says its playing changed. */
import { useEffect, useRef } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { formatDate, formatTimeWithSeconds } from '../lib/format.js';
import { eventKind, eventPart, eventTone, type ReceiverEvent } from '../lib/receiver-events.js';
import { useApi } from '../lib/use-api.js';
import { ReceiverErrorNotice } from './receiver-error.js';

const SHOWN = 30;

export function ReceiverEvents({ id, revision }: { id: string; revision: string }) {
  const t = useT();
  const events = useApi<ReceiverEvent[]>(`/api/devices/${encodeURIComponent(id)}/events?limit=${SHOWN}`);
  const first = useRef(true);
  const { reload } = events;
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [revision, reload]);

  return (
    <section class="card receiver-events" data-testid="receiver-events">
      <div class="receiver-head">
        <h2>{t('receivers.events.title')}</h2>
        <button type="button" class="link-button" disabled={events.loading} onClick={reload}>
          {t('receivers.events.refresh')}
        </button>
      </div>
      {events.error && <ReceiverErrorNotice error={events.error} />}
      {events.loading && !events.data && <p>{t('app.loading')}</p>}
      {events.data && events.data.length === 0 && <p class="muted">{t('receivers.events.empty')}</p>}
      {events.data && events.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('receivers.events.when')}</th>
                <th>{t('receivers.events.what')}</th>
                <th>{t('receivers.events.bulletin')}</th>
                <th>{t('receivers.events.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((event) => (
                <EventRow key={event.seq} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EventRow({ event }: { event: ReceiverEvent }) {
  const t = useT();
  const { locale } = useLocale();
  const kind = eventKind(event);
  const part = eventPart(event);
  return (
    <tr data-testid="receiver-event" data-kind={kind} data-broadcast-id={event.broadcastId}>
      <td class="receiver-nowrap">
        <strong>{formatTimeWithSeconds(event.at, locale)}</strong> <span class="muted small receiver-event-date">{formatDate(event.at, locale)}</span>
      </td>
      <td>
        <span class={`badge ${eventTone(kind)}`}>{kind === 'other' ? event.type : t(`receivers.event.${kind}` as const)}</span>
      </td>
      <td lang="vi" class="receiver-event-bulletin">
        <a href={`#/reports/broadcast/${encodeURIComponent(event.broadcastId)}`}>{event.bulletinTitle ?? t('receivers.untitled')}</a>
      </td>
      <td class="small">
        {event.reason && <span class="error">{event.reason}</span>}
        {part && t(`receivers.event.part.${part}` as const)}
      </td>
    </tr>
  );
}
