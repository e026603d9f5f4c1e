/**
 * The reviewer's decision on one pending broadcast. Each choice opens its own confirmation: an
 * approval with an optional note, a rejection with the reason the author will read (required).
 * Nothing is sent before the confirm button.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import type { BroadcastDetail } from '../lib/approval-types.js';
import { DecisionError } from './approval-problem.js';

type Mode = 'approve' | 'reject' | null;

interface Props {
  readonly broadcastId: string;
  readonly onDecided: (updated: BroadcastDetail, decision: 'approved' | 'rejected') => void;
  /** Someone else decided meanwhile: the page loads the broadcast again. */
  readonly onStale: () => void;
}

export function ApprovalDecision({ broadcastId, onDecided, onStale }: Props) {
  const t = useT();
  const [mode, setMode] = useState<Mode>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const choose = (next: Mode) => {
    setMode(next);
    setError(null);
    setReasonMissing(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (mode === 'reject' && reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const path = `/api/broadcasts/${encodeURIComponent(broadcastId)}/${mode === 'approve' ? 'approve' : 'reject'}`;
      const body = mode === 'approve' ? (note.trim() ? { note: note.trim() } : {}) : { reason: reason.trim() };
      onDecided(await api.post<BroadcastDetail>(path, body), mode === 'approve' ? 'approved' : 'rejected');
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network');
      setError(apiError);
      if (apiError.code === 'CONFLICT') onStale();
    } finally {
      setBusy(false);
    }
  };

  const reasonError = reasonMissing ? t('approvals.decide.reasonRequired') : error?.fieldMessage('reason');
  return (
    <section class="card approval-decision" data-testid="approval-decision-panel" aria-labelledby="approval-decide-title">
      <h2 id="approval-decide-title">{t('approvals.decide.title')}</h2>
      {mode === null && (
        <div class="actions">
          <button type="button" class="primary" data-testid="approval-approve" onClick={() => choose('approve')}>
            {t('approvals.decide.approve')}
          </button>
          <button type="button" class="danger" data-testid="approval-reject" onClick={() => choose('reject')}>
            {t('approvals.decide.reject')}
          </button>
        </div>
      )}
      {mode === 'approve' && (
        <form onSubmit={(event) => void submit(event)} data-testid="approval-approve-form">
          <p>{t('approvals.decide.approveLead')}</p>
          <label>
            {t('approvals.decide.note')}
            <textarea rows={3} maxLength={1000} value={note} data-testid="approval-note" onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
          <div class="actions">
            <button type="submit" class="primary" data-testid="approval-approve-confirm" disabled={busy} aria-busy={busy}>
              {busy ? t('approvals.decide.sending') : t('approvals.decide.approveConfirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => choose(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      {mode === 'reject' && (
        <form onSubmit={(event) => void submit(event)} data-testid="approval-reject-form" noValidate>
          <p>{t('approvals.decide.rejectLead')}</p>
          <label>
            {t('approvals.decide.reason')}
            <textarea
              rows={3}
              maxLength={1000}
              value={reason}
              required
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? 'approval-reason-error' : undefined}
              data-testid="approval-reason-input"
              onInput={(event) => {
                setReason(event.currentTarget.value);
                setReasonMissing(false);
              }}
            />
            {reasonError && (
              <span class="field-error" id="approval-reason-error">
                {reasonError}
              </span>
            )}
          </label>
          <div class="actions">
            <button type="submit" class="danger" data-testid="approval-reject-confirm" disabled={busy} aria-busy={busy}>
              {busy ? t('approvals.decide.sending') : t('approvals.decide.rejectConfirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => choose(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      {error && !error.fieldMessage('reason') && <DecisionError error={error} />}
    </section>
  );
}
