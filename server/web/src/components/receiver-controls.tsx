/** What an official at the desk does to a receiver now: its volume, and stopping what it plays. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import type { ReceiverView } from '../lib/receiver-live.js';
import { ConfirmStep } from './receiver-confirm.js';
import { ReceiverErrorNotice } from './receiver-error.js';

const asApiError = (caught: unknown) => (caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));

export function ReceiverVolume({ device, onChanged }: { device: ReceiverView; onChanged: (device: ReceiverView) => void }) {
  const t = useT();
  const [volume, setVolume] = useState(device.volume);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  // Follow what the receiver reports until the official starts moving the slider.
  useEffect(() => {
    if (!touched) setVolume(device.volume);
  }, [device.volume, touched]);

  const apply = async () => {
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const updated = await api.post<ReceiverView>(`/api/devices/${encodeURIComponent(device.id)}/volume`, { volume });
      onChanged(updated);
      setSent(updated.volume);
      setTouched(false);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="receiver-volume">
      <label for="receiver-volume-slider">{t('receivers.volume.label')}</label>
      <div class="receiver-volume-row">
        <input
          id="receiver-volume-slider"
          type="range"
          min={0}
          max={100}
          step={1}
          value={volume}
          data-testid="volume-slider"
          aria-valuetext={t('receivers.volume.value', { volume })}
          onInput={(e) => {
            setVolume(Number(e.currentTarget.value));
            setTouched(true);
            setSent(null);
          }}
        />
        <output for="receiver-volume-slider" class="receiver-volume-value" data-testid="volume-value">
          {volume}
        </output>
        <button type="button" class="primary" disabled={busy || volume === device.volume} data-testid="volume-apply" onClick={() => void apply()}>
          {busy ? t('receivers.working') : t('receivers.volume.apply')}
        </button>
      </div>
      {!device.online && <p class="muted small">{t('receivers.volume.offline')}</p>}
      {sent !== null && (
        <p class="notice ok small" role="status" data-testid="volume-done">
          {device.online ? t('receivers.volume.done', { volume: sent }) : t('receivers.volume.kept', { volume: sent })}
        </p>
      )}
      {error && <ReceiverErrorNotice error={error} />}
    </div>
  );
}

export function ReceiverStop({ device }: { device: ReceiverView }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const playing = device.online && device.playing !== null;

  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/devices/${encodeURIComponent(device.id)}/stop`);
      setDone(true);
      setConfirming(false);
    } catch (caught) {
      setError(asApiError(caught));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="receiver-stop">
      <h3>{t('receivers.stop.title')}</h3>
      {!device.online && <p class="muted small">{t('receivers.stop.offline')}</p>}
      {confirming ? (
        <ConfirmStep confirmLabel={t('receivers.stop.confirm')} busy={busy} onConfirm={() => void stop()} onCancel={() => setConfirming(false)} testId="stop-confirm">
          <p>
            {playing
              ? t('receivers.stop.question', { title: device.playingTitle ?? t('receivers.untitled'), name: device.name })
              : t('receivers.stop.questionIdle', { name: device.name })}
          </p>
          <p class="small">{t('receivers.stop.consequence')}</p>
        </ConfirmStep>
      ) : (
        <button
          type="button"
          class="danger"
          disabled={!device.online}
          data-testid="receiver-stop"
          onClick={() => {
            setDone(false);
            setConfirming(true);
          }}
        >
          {t('receivers.stop.button')}
        </button>
      )}
      {done && (
        <p class="notice ok small" role="status" data-testid="stop-done">
          {t('receivers.stop.done')}
        </p>
      )}
      {error && <ReceiverErrorNotice error={error} />}
    </div>
  );
}
