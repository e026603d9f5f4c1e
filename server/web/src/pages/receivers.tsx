/**
 * `#/receivers`: every receiver the user may see, by area and live, with registering a new one;
 * `#/receivers/<id>`: one receiver, its controls and recent events.
 */
import { useState } from 'preact/hooks';
import { ReceiverAdd } from '../components/receiver-add.js';
import { ReceiverDetail } from '../components/receiver-detail.js';
import { ReceiverList } from '../components/receiver-list.js';
import { useT } from '../i18n/index.js';
import { countDevices } from '../lib/live-devices.js';
import { useLiveReceivers } from '../lib/receiver-live.js';
import { matchRoute } from '../router.js';
import { useSession } from '../session.js';
import '../styles/receivers.css';

export function ReceiversPage({ path }: { path: string }) {
  const id = matchRoute('/receivers/:id', path)?.id;
  return <div class="receivers-page">{id ? <ReceiverDetail key={id} id={id} /> : <ReceiversOverview />}</div>;
}

function ReceiversOverview() {
  const t = useT();
  const session = useSession();
  const live = useLiveReceivers();
  const [adding, setAdding] = useState(false);
  const counts = countDevices(live.devices.values());
  return (
    <section data-testid="receivers">
      <div class="receiver-head">
        <h1>{t('receivers.title')}</h1>
        <span class={live.connected ? 'badge live' : 'badge'} data-testid="receivers-live">
          {live.connected ? t('app.live') : t('app.reconnecting')}
        </span>
        {session.may('devices:manage') && !adding && (
          <button type="button" class="primary receiver-add-button" data-testid="receiver-add-open" onClick={() => setAdding(true)}>
            {t('receivers.add.open')}
          </button>
        )}
      </div>
      {live.loaded && <p class="muted">{t('receivers.summary', { total: counts.total, online: counts.online })}</p>}
      {adding && <ReceiverAdd onClose={() => setAdding(false)} />}
      {live.loaded ? <ReceiverList devices={live.devices} /> : <p>{t('app.loading')}</p>}
    </section>
  );
}
