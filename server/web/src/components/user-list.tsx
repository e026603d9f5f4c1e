/** Every account: name, role, area, whether it is locked out; choosing one opens it for editing. */
import { useLocale, useT } from '../i18n/index.js';
import { formatTime } from '../lib/format.js';
import { areaPathText } from '../lib/receiver-areas.js';
import { isLocked, type UserAccount } from '../lib/user-form.js';
import { useSession } from '../session.js';

interface Props {
  readonly users: readonly UserAccount[];
  readonly editing: string | null;
  readonly onEdit: (id: string) => void;
}

export function UserList({ users, editing, onEdit }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { areas, user: me } = useSession();
  const now = Date.now();
  return (
    <div class="table-wrap">
      <table data-testid="user-table">
        <thead>
          <tr>
            <th>{t('users.field.username')}</th>
            <th>{t('users.field.role')}</th>
            <th>{t('users.field.area')}</th>
            <th>{t('users.col.state')}</th>
            <th>
              <span class="visually-hidden">{t('users.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const locked = isLocked(user, now);
            return (
              <tr key={user.id} data-testid="user-row" data-username={user.username} data-role={user.role} data-locked={String(locked)}>
                <td>
                  <strong>{user.username}</strong>
                  {user.id === me.id && <span class="muted small user-self">{t('users.you')}</span>}
                </td>
                <td data-testid="user-role-cell">{t(`role.${user.role}` as const)}</td>
                <td>{user.areaId ? areaPathText(areas, user.areaId) || user.areaId : t('user.allAreas')}</td>
                <td>
                  {locked && user.lockedUntil ? (
                    <span class="badge locked">{t('users.lockedUntil', { time: formatTime(user.lockedUntil, locale) })}</span>
                  ) : (
                    <span class="badge ok">{t('users.active')}</span>
                  )}
                </td>
                <td>
                  <button type="button" class="link-button" aria-pressed={editing === user.id} data-testid="user-edit-open" onClick={() => onEdit(user.id)}>
                    {t('users.edit.open')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
