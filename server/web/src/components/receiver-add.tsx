/** Registering a receiver: its name and area (and where it stands, if known), then its token and start command, once. */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import { AreaSelect } from './receiver-area-select.js';
import { ReceiverCredentials } from './receiver-credentials.js';
import { ReceiverErrorNotice } from './receiver-error.js';

interface Created {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

const FIELDS = ['name', 'areaId', 'lat', 'lon'];

/** A coordinate typed with a decimal comma (as Vietnamese writes it) or a point; undefined when left empty. */
function coordinate(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? undefined : Number(trimmed);
}

export function ReceiverAdd({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [areaId, setAreaId] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  if (created) return <ReceiverCredentials device={created} reason="created" onDone={onClose} />;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.post<Created>('/api/devices', { name: name.trim(), areaId, lat: coordinate(lat), lon: coordinate(lon) }));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };

  const unplaced = error && error.details.length > 0 && !error.details.some((detail) => FIELDS.includes(detail.field.split('.')[0] ?? ''));
  return (
    <form class="card receiver-form" data-testid="receiver-add" onSubmit={(event) => void submit(event)}>
      <h2>{t('receivers.add.title')}</h2>
      <label>
        {t('receivers.field.name')}
        <input name="name" required maxLength={200} value={name} data-testid="receiver-name" placeholder={t('receivers.field.namePlaceholder')} onInput={(e) => setName(e.currentTarget.value)} />
        {error?.fieldMessage('name') && <span class="field-error">{error.fieldMessage('name')}</span>}
      </label>
      <AreaSelect
        label={t('receivers.field.area')}
        value={areaId}
        onChange={setAreaId}
        emptyLabel={t('receivers.field.chooseArea')}
        required
        hint={t('receivers.field.areaHint')}
        error={error?.fieldMessage('areaId')}
        testId="receiver-area"
      />
      <details class="receiver-location">
        <summary>{t('receivers.field.location')}</summary>
        <div class="row">
          <label>
            {t('receivers.field.lat')}
            <input name="lat" inputMode="decimal" pattern="-?[0-9]{1,2}([.,][0-9]+)?" value={lat} placeholder="20.8167" onInput={(e) => setLat(e.currentTarget.value)} />
            {error?.fieldMessage('lat') && <span class="field-error">{error.fieldMessage('lat')}</span>}
          </label>
          <label>
            {t('receivers.field.lon')}
            <input name="lon" inputMode="decimal" pattern="-?[0-9]{1,3}([.,][0-9]+)?" value={lon} placeholder="105.3333" onInput={(e) => setLon(e.currentTarget.value)} />
            {error?.fieldMessage('lon') && <span class="field-error">{error.fieldMessage('lon')}</span>}
          </label>
        </div>
      </details>
      {error && (error.details.length === 0 || unplaced) && <ReceiverErrorNotice error={error} testId="receiver-add-error" />}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="receiver-add-submit">
          {busy ? t('receivers.working') : t('receivers.add.submit')}
        </button>
        <button type="button" disabled={busy} onClick={onClose}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
