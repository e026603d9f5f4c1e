/**
 * The receiver's credential and its removal: a new token (shown once; the old one stops working),
 * revoking it (cut off until a new token), deleting the receiver. Each says what it does before it does it.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import type { ReceiverView } from '../lib/receiver-live.js';
import { navigate } from '../router.js';
import { ConfirmStep } from './receiver-confirm.js';
import { ReceiverCredentials } from './receiver-credentials.js';
import { ReceiverErrorNotice } from './receiver-error.js';

type Action = 'rotate' | 'revoke' | 'delete';

export function ReceiverAccess({ device, onChanged }: { device: ReceiverView; onChanged: (device: ReceiverView) => void }) {
  const t = useT();
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<string | null>(null);
  const path = `/api/devices/${encodeURIComponent(device.id)}`;

  const run = async (action: Action) => {
    setBusy(true);
    setError(null);
    try {
      if (action === 'rotate') {
        const { token, ...updated } = await api.post<ReceiverView & { token: string }>(`${path}/token`);
        onChanged(updated);
        setIssued(token);
      } else if (action === 'revoke') {
        onChanged(await api.post<ReceiverView>(`${path}/revoke`));
      } else {
        await api.delete(path);
        navigate('/receivers');
        return;
      }
      setAsking(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  if (issued) return <ReceiverCredentials device={{ id: device.id, name: device.name, token: issued }} reason="rotated" onDone={() => setIssued(null)} />;

  const question: Record<Action, { text: string; consequence: string; confirm: string }> = {
    rotate: { text: t('receivers.access.rotateQuestion', { name: device.name }), consequence: t('receivers.access.rotateConsequence'), confirm: t('receivers.access.rotate') },
    revoke: { text: t('receivers.access.revokeQuestion', { name: device.name }), consequence: t('receivers.access.revokeConsequence'), confirm: t('receivers.access.revoke') },
    delete: { text: t('receivers.access.deleteQuestion', { name: device.name }), consequence: t('receivers.access.deleteConsequence'), confirm: t('receivers.access.delete') },
  };

  return (
    <section class="card receiver-access" data-testid="receiver-access">
      <h2>{t('receivers.access.title')}</h2>
      {device.revokedAt ? <p class="notice warn small">{t('receivers.access.revokedNote')}</p> : <p class="muted small">{t('receivers.access.lead')}</p>}
      {asking ? (
        <ConfirmStep confirmLabel={question[asking].confirm} busy={busy} onConfirm={() => void run(asking)} onCancel={() => setAsking(null)} testId={`${asking}-confirm`}>
          <p>
            <strong>{question[asking].text}</strong>
          </p>
          <p class="small">{question[asking].consequence}</p>
        </ConfirmStep>
      ) : (
        <div class="actions">
          <button type="button" data-testid="receiver-rotate" onClick={() => setAsking('rotate')}>
            {t('receivers.access.rotate')}
          </button>
          {!device.revokedAt && (
            <button type="button" data-testid="receiver-revoke" onClick={() => setAsking('revoke')}>
              {t('receivers.access.revoke')}
            </button>
          )}
          <button type="button" class="danger" data-testid="receiver-delete" onClick={() => setAsking('delete')}>
            {t('receivers.access.delete')}
          </button>
        </div>
      )}
      {error && <ReceiverErrorNotice error={error} />}
    </section>
  );
}
