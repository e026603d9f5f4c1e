/** Renaming a receiver and moving it to another area (it takes the new area's broadcasts from then on). */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import type { ReceiverView } from '../lib/receiver-live.js';
import { AreaSelect } from './receiver-area-select.js';
import { ReceiverErrorNotice } from './receiver-error.js';

export function ReceiverEdit({ device, onChanged }: { device: ReceiverView; onChanged: (device: ReceiverView) => void }) {
  const t = useT();
  const [name, setName] = useState(device.name);
  const [areaId, setAreaId] = useState(device.areaId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  // Someone else's change (seen live) shows here unless this form holds an edit of its own.
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    if (edited) return;
    setName(device.name);
    setAreaId(device.areaId);
  }, [device.name, device.areaId, edited]);

  const changes = { ...(name.trim() !== device.name ? { name: name.trim() } : {}), ...(areaId !== device.areaId ? { areaId } : {}) };
  const unchanged = Object.keys(changes).length === 0;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onChanged(await api.patch<ReceiverView>(`/api/devices/${encodeURIComponent(device.id)}`, changes));
      setSaved(true);
      setEdited(false);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };

  const placed = error?.fieldMessage('name') ?? error?.fieldMessage('areaId');
  return (
    <form class="card receiver-form" data-testid="receiver-edit" onSubmit={(event) => void save(event)}>
      <h2>{t('receivers.edit.title')}</h2>
      <label>
        {t('receivers.field.name')}
        <input
          name="name"
          required
          maxLength={200}
          value={name}
          data-testid="receiver-edit-name"
          onInput={(e) => {
            setName(e.currentTarget.value);
            setEdited(true);
            setSaved(false);
          }}
        />
        {error?.fieldMessage('name') && <span class="field-error">{error.fieldMessage('name')}</span>}
      </label>
      <AreaSelect
        label={t('receivers.field.area')}
        value={areaId}
        onChange={(id) => {
          setAreaId(id);
          setEdited(true);
          setSaved(false);
        }}
        emptyLabel={t('receivers.field.chooseArea')}
        required
        hint={t('receivers.edit.moveHint')}
        error={error?.fieldMessage('areaId')}
        testId="receiver-edit-area"
      />
      {error && !placed && <ReceiverErrorNotice error={error} />}
      {saved && (
        <p class="notice ok small" role="status" data-testid="receiver-edit-done">
          {t('receivers.edit.done')}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || unchanged || areaId === ''} data-testid="receiver-edit-save">
          {busy ? t('receivers.working') : t('app.save')}
        </button>
      </div>
    </form>
  );
}
