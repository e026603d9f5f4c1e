/**
 * Answering one offer: schedule it at the proposed time, at another time chosen here (Vietnam
 * time), or decline it with a reason. Each choice is confirmed before anything is sent.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import type { InboxOffer } from '../lib/approval-types.js';
import { addDays, vietnamDate } from '../lib/calendar-week.js';
import { instantFromZoned, zonedInputValue } from '../lib/format.js';
import { DecisionError } from './approval-problem.js';

type Mode = 'proposed' | 'other' | 'decline' | null;

/** Another time starts from the proposed one if it is still ahead, else tomorrow morning. */
function initialTime(offer: InboxOffer): { date: string; time: string } {
  const proposed = offer.proposed.startAt;
  if (proposed && new Date(proposed).getTime() > Date.now()) {
    const value = zonedInputValue(proposed);
    return { date: value.date, time: value.time.slice(0, 5) };
  }
  return { date: addDays(vietnamDate(new Date()), 1), time: '07:00' };
}

export function OfferDecision({ offer, onDecided }: { offer: InboxOffer; onDecided: () => void }) {
  const t = useT();
  const [mode, setMode] = useState<Mode>(null);
  const [when, setWhen] = useState(() => initialTime(offer));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [timeProblem, setTimeProblem] = useState(false);

  const choose = (next: Mode) => {
    setMode(next);
    setError(null);
    setTimeProblem(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const base = `/api/offers/${encodeURIComponent(offer.id)}`;
    let request: () => Promise<unknown>;
    if (mode === 'decline') {
      request = () => api.post(`${base}/decline`, reason.trim() ? { reason: reason.trim() } : {});
    } else if (mode === 'other') {
      const startAt = /^\d{4}-\d{2}-\d{2}$/.test(when.date) && /^\d{2}:\d{2}/.test(when.time) ? instantFromZoned(when.date, when.time.slice(0, 5)) : null;
      if (!startAt || Number.isNaN(startAt.getTime()) || startAt.getTime() <= Date.now()) {
        setTimeProblem(true);
        return;
      }
      request = () => api.post(`${base}/accept`, { startAt: startAt.toISOString() });
    } else {
      request = () => api.post(`${base}/accept`, {});
    }
    setBusy(true);
    setError(null);
    try {
      await request();
      onDecided();
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network');
      setError(apiError);
      if (apiError.code === 'CONFLICT') onDecided();
    } finally {
      setBusy(false);
    }
  };

  const startAtError = timeProblem ? t('approvals.offers.timeInvalid') : error?.fieldMessage('startAt');
  const cancel = (
    <button type="button" disabled={busy} onClick={() => choose(null)}>
      {t('app.cancel')}
    </button>
  );
  return (
    <div class="offer-decision" data-testid="offer-decision">
      {mode === null && (
        <div class="actions">
          <button type="button" class="primary" data-testid="offer-accept" onClick={() => choose('proposed')}>
            {t('approvals.offers.accept')}
          </button>
          <button type="button" data-testid="offer-other-time" onClick={() => choose('other')}>
            {t('approvals.offers.otherTime')}
          </button>
          <button type="button" class="danger" data-testid="offer-decline" onClick={() => choose('decline')}>
            {t('approvals.offers.decline')}
          </button>
        </div>
      )}
      {mode === 'proposed' && (
        <form onSubmit={(event) => void submit(event)}>
          <p>{t('approvals.offers.acceptLead')}</p>
          <div class="actions">
            <button type="submit" class="primary" data-testid="offer-accept-confirm" disabled={busy} aria-busy={busy}>
              {busy ? t('approvals.decide.sending') : t('approvals.offers.acceptConfirm')}
            </button>
            {cancel}
          </div>
        </form>
      )}
      {mode === 'other' && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <p>{t('approvals.offers.otherLead')}</p>
          <div class="row">
            <label>
              {t('approvals.offers.date')}
              <input type="date" value={when.date} data-testid="offer-date" onInput={(event) => setWhen({ ...when, date: event.currentTarget.value })} />
            </label>
            <label>
              {t('approvals.offers.time')}
              <input type="time" value={when.time} data-testid="offer-time" onInput={(event) => setWhen({ ...when, time: event.currentTarget.value })} />
            </label>
          </div>
          {startAtError && (
            <span class="field-error" role="alert">
              {startAtError}
            </span>
          )}
          <div class="actions">
            <button type="submit" class="primary" data-testid="offer-other-confirm" disabled={busy} aria-busy={busy}>
              {busy ? t('approvals.decide.sending') : t('approvals.offers.otherConfirm')}
            </button>
            {cancel}
          </div>
        </form>
      )}
      {mode === 'decline' && (
        <form onSubmit={(event) => void submit(event)}>
          <label>
            {t('approvals.offers.declineReason')}
            <textarea rows={3} maxLength={1000} value={reason} data-testid="offer-decline-reason" onInput={(event) => setReason(event.currentTarget.value)} />
            {error?.fieldMessage('reason') && <span class="field-error">{error.fieldMessage('reason')}</span>}
          </label>
          <div class="actions">
            <button type="submit" class="danger" data-testid="offer-decline-confirm" disabled={busy} aria-busy={busy}>
              {busy ? t('approvals.decide.sending') : t('approvals.offers.declineConfirm')}
            </button>
            {cancel}
          </div>
        </form>
      )}
      {error && !error.fieldMessage('startAt') && !error.fieldMessage('reason') && <DecisionError error={error} />}
    </div>
  );
}
