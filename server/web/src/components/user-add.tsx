/** A new account: name, first password (the server's policy, each broken rule next to the field), role and area. */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import { fieldMessages, needsArea, PASSWORD_MIN_LENGTH, type UserAccount, type UserRole } from '../lib/user-form.js';
import { AreaSelect } from './receiver-area-select.js';
import { UserErrorNotice, UserFieldErrors, userErrorText } from './user-errors.js';
import { UserRoleSelect } from './user-role-select.js';

const FIELDS = ['username', 'password', 'role', 'areaId'];

export function UserAdd({ onCreated, onCancel }: { onCreated: (user: UserAccount) => void; onCancel: () => void }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserRole>('operator');
  const [areaId, setAreaId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.post<UserAccount>('/api/users', { username: username.trim(), password, role, areaId: areaId || null }));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };

  const areaError = fieldMessages(error, 'areaId')[0];
  return (
    <form class="card user-form" data-testid="user-add" onSubmit={(event) => void submit(event)}>
      <h2>{t('users.add.title')}</h2>
      <label>
        {t('users.field.username')}
        <input name="username" autocomplete="off" required value={username} data-testid="user-username" onInput={(e) => setUsername(e.currentTarget.value)} />
        <span class="muted small field-hint">{t('users.field.usernameHint')}</span>
        <UserFieldErrors error={error} field="username" />
      </label>
      <label>
        {t('users.field.password')}
        <input type="password" name="password" autocomplete="new-password" required value={password} data-testid="user-password" onInput={(e) => setPassword(e.currentTarget.value)} />
        <span class="muted small field-hint">{t('users.field.passwordHint', { min: PASSWORD_MIN_LENGTH })}</span>
        <UserFieldErrors error={error} field="password" />
      </label>
      <UserRoleSelect value={role} onChange={setRole} error={error} testId="user-role" />
      <AreaSelect
        label={t('users.field.area')}
        value={areaId}
        onChange={setAreaId}
        emptyLabel={needsArea(role) ? t('users.field.chooseArea') : t('user.allAreas')}
        required={needsArea(role)}
        hint={t('users.field.areaHint')}
        error={areaError === undefined ? undefined : userErrorText(t, 'areaId', areaError)}
        testId="user-area"
      />
      <UserErrorNotice error={error} fields={FIELDS} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="user-add-submit">
          {busy ? t('users.working') : t('users.add.submit')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
