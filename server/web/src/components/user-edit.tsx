/**
 * One account: its role and area, a password reset (which also unlocks it), and deleting it. The
 * server ends the user's sessions after any of these, so new rights apply from their next sign-in;
 * it refuses to demote or delete the last admin and to delete one's own account, and says why.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { fieldMessages, isLocked, needsArea, PASSWORD_MIN_LENGTH, type UserAccount, type UserRole } from '../lib/user-form.js';
import { AreaSelect } from './receiver-area-select.js';
import { UserErrorNotice, UserFieldErrors, userErrorText } from './user-errors.js';
import { UserRoleSelect } from './user-role-select.js';

interface Props {
  readonly user: UserAccount;
  /** The signed-in admin's own account. */
  readonly self: boolean;
  readonly onSaved: (user: UserAccount) => void;
  readonly onDeleted: (id: string) => void;
  readonly onClose: () => void;
}

const asApiError = (caught: unknown) => (caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));

export function UserEdit({ user, self, onSaved, onDeleted, onClose }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
    heading.current?.focus();
  }, [user.id]);
  return (
    <div class="card user-form user-edit" data-testid="user-edit" data-user-id={user.id}>
      <h2 ref={heading} tabIndex={-1}>
        {t('users.edit.title', { username: user.username })}
      </h2>
      {self && <p class="notice warn small">{t('users.edit.selfNote')}</p>}
      {isLocked(user, Date.now()) && user.lockedUntil && (
        <p class="notice warn small">{t('users.edit.lockedNote', { until: formatDateTime(user.lockedUntil, locale) })}</p>
      )}
      <UserRights key={`${user.id}:${user.role}:${user.areaId ?? ''}`} user={user} onSaved={onSaved} />
      <UserPasswordReset user={user} onSaved={onSaved} />
      <UserDelete user={user} self={self} onDeleted={onDeleted} />
      <div class="actions">
        <button type="button" onClick={onClose} data-testid="user-edit-close">
          {t('app.close')}
        </button>
      </div>
    </div>
  );
}

function UserRights({ user, onSaved }: { user: UserAccount; onSaved: (user: UserAccount) => void }) {
  const t = useT();
  const [role, setRole] = useState<UserRole>(user.role);
  const [areaId, setAreaId] = useState(user.areaId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const unchanged = role === user.role && areaId === (user.areaId ?? '');

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.patch<UserAccount>(`/api/users/${encodeURIComponent(user.id)}`, { role, areaId: areaId || null }));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const areaError = fieldMessages(error, 'areaId')[0];
  return (
    <section>
      <form onSubmit={(event) => void save(event)}>
        <h3>{t('users.edit.rights')}</h3>
        <UserRoleSelect value={role} onChange={setRole} error={error} testId="user-edit-role" />
        <AreaSelect
          label={t('users.field.area')}
          value={areaId}
          onChange={setAreaId}
          emptyLabel={needsArea(role) ? t('users.field.chooseArea') : t('user.allAreas')}
          required={needsArea(role)}
          error={areaError === undefined ? undefined : userErrorText(t, 'areaId', areaError)}
          testId="user-edit-area"
        />
        <UserErrorNotice error={error} fields={['role', 'areaId']} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || unchanged} data-testid="user-edit-save">
            {busy ? t('users.working') : t('app.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

function UserPasswordReset({ user, onSaved }: { user: UserAccount; onSaved: (user: UserAccount) => void }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  const reset = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      onSaved(await api.patch<UserAccount>(`/api/users/${encodeURIComponent(user.id)}`, { password }));
      setPassword('');
      setDone(true);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <form onSubmit={(event) => void reset(event)}>
        <h3>{t('users.reset.title')}</h3>
        <p class="muted small">{t('users.reset.lead')}</p>
        <label>
          {t('users.reset.password')}
          <input type="password" autocomplete="new-password" required value={password} data-testid="user-reset-password" onInput={(e) => setPassword(e.currentTarget.value)} />
          <span class="muted small field-hint">{t('users.field.passwordHint', { min: PASSWORD_MIN_LENGTH })}</span>
          <UserFieldErrors error={error} field="password" />
        </label>
        <UserErrorNotice error={error} fields={['password']} />
        {done && (
          <p class="notice ok small" role="status" data-testid="user-reset-done">
            {t('users.reset.done', { username: user.username })}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy} data-testid="user-reset-submit">
            {busy ? t('users.working') : t('users.reset.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function UserDelete({ user, self, onDeleted }: { user: UserAccount; self: boolean; onDeleted: (id: string) => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/users/${encodeURIComponent(user.id)}`);
      onDeleted(user.id);
    } catch (caught) {
      setError(asApiError(caught));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h3>{t('users.delete.title')}</h3>
      {self ? (
        <p class="muted small">{t('users.delete.selfNote')}</p>
      ) : asking ? (
        <div class="notice warn user-confirm" role="group" data-testid="user-delete-confirm">
          <p>
            <strong>{t('users.delete.question', { username: user.username })}</strong>
          </p>
          <p class="small">{t('users.delete.consequence')}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} data-testid="user-delete-yes" onClick={() => void remove()}>
              {busy ? t('users.working') : t('users.delete.confirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="danger" data-testid="user-delete" onClick={() => setAsking(true)}>
          {t('users.delete.button')}
        </button>
      )}
      <UserErrorNotice error={error} fields={[]} />
    </section>
  );
}
