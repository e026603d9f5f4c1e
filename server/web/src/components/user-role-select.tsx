/** A user's role, each with what it lets them do in a line, so an admin chooses knowingly. */
import { useT } from '../i18n/index.js';
import { ROLES, type UserRole } from '../lib/user-form.js';
import { UserFieldErrors } from './user-errors.js';
import type { ApiError } from '../api.js';

export function UserRoleSelect({ value, onChange, error, testId }: { value: UserRole; onChange: (role: UserRole) => void; error: ApiError | null; testId: string }) {
  const t = useT();
  return (
    <label>
      {t('users.field.role')}
      <select value={value} data-testid={testId} onChange={(event) => onChange(event.currentTarget.value as UserRole)}>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {t(`role.${role}` as const)}
          </option>
        ))}
      </select>
      <span class="muted small field-hint">{t(`users.roleHint.${value}` as const)}</span>
      <UserFieldErrors error={error} field="role" />
    </label>
  );
}
