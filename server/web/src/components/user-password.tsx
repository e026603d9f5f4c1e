/**
 * Changing one's own password (POST /api/auth/password), for any signed-in user: the current one,
 * the new one twice. Route-less, so the frame can offer it from the user badge as well as the users page.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import { PASSWORD_MIN_LENGTH } from '../lib/user-form.js';
import { UserErrorNotice, UserFieldErrors } from './user-errors.js';

const FIELDS = ['currentPassword', 'newPassword'];

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      await api.post('/api/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      onDone?.();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="user-form" data-testid="change-password" onSubmit={(event) => void submit(event)}>
      <label>
        {t('users.own.current')}
        <input type="password" name="currentPassword" autocomplete="current-password" required value={current} data-testid="own-current" onInput={(e) => setCurrent(e.currentTarget.value)} />
        <UserFieldErrors error={error} field="currentPassword" />
      </label>
      <label>
        {t('users.own.new')}
        <input type="password" name="newPassword" autocomplete="new-password" required value={next} data-testid="own-new" onInput={(e) => setNext(e.currentTarget.value)} />
        <span class="muted small field-hint">{t('users.field.passwordHint', { min: PASSWORD_MIN_LENGTH })}</span>
        <UserFieldErrors error={error} field="newPassword" />
      </label>
      <label>
        {t('users.own.repeat')}
        <input
          type="password"
          name="repeatPassword"
          autocomplete="new-password"
          required
          value={repeat}
          data-testid="own-repeat"
          onInput={(e) => {
            setRepeat(e.currentTarget.value);
            setMismatch(false);
          }}
        />
        {mismatch && <span class="field-error">{t('users.own.mismatch')}</span>}
      </label>
      <UserErrorNotice error={error} fields={FIELDS} />
      {done && (
        <p class="notice ok small" role="status" data-testid="own-done">
          {t('users.own.done')}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="own-submit">
          {busy ? t('users.working') : t('users.own.submit')}
        </button>
      </div>
    </form>
  );
}
