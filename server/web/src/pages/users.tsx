/**
 * `#/users` (admins): the accounts, adding one, changing its role or area, resetting its password
 * and deleting it; and the admin's own password.
 */
import { useState } from 'preact/hooks';
import { UserAdd } from '../components/user-add.js';
import { UserEdit } from '../components/user-edit.js';
import { UserList } from '../components/user-list.js';
import { ChangePasswordForm } from '../components/user-password.js';
import { useT } from '../i18n/index.js';
import type { UserAccount } from '../lib/user-form.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import '../styles/users.css';

export function UsersPage(_props: { path: string }) {
  const t = useT();
  const { user: me } = useSession();
  const users = useApi<UserAccount[]>('/api/users');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = users.data ?? [];
  const edited = list.find((user) => user.id === editing);

  const replace = (user: UserAccount) => users.setData(list.map((u) => (u.id === user.id ? user : u)));

  return (
    <section class="users-page" data-testid="users">
      <div class="users-head">
        <h1>{t('users.title')}</h1>
        {!adding && (
          <button
            type="button"
            class="primary"
            data-testid="user-add-open"
            onClick={() => {
              setAdding(true);
              setNotice(null);
            }}
          >
            {t('users.add.open')}
          </button>
        )}
      </div>
      {adding && (
        <UserAdd
          onCancel={() => setAdding(false)}
          onCreated={(user) => {
            users.setData([...list, user].sort((a, b) => a.username.localeCompare(b.username)));
            setAdding(false);
            setNotice(t('users.add.done', { username: user.username }));
          }}
        />
      )}
      {notice && (
        <p class="notice ok" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      {users.error && (
        <p class="notice error" role="alert">
          {t('app.error', { message: users.error.message })}{' '}
          <button type="button" class="link-button" onClick={users.reload}>
            {t('app.retry')}
          </button>
        </p>
      )}
      {users.loading && !users.data && <p>{t('app.loading')}</p>}
      {users.data && <UserList users={list} editing={editing} onEdit={(id) => setEditing(editing === id ? null : id)} />}
      {edited && (
        <UserEdit
          key={edited.id}
          user={edited}
          self={edited.id === me.id}
          onSaved={replace}
          onDeleted={(id) => {
            users.setData(list.filter((user) => user.id !== id));
            setEditing(null);
            setNotice(t('users.delete.done', { username: edited.username }));
          }}
          onClose={() => setEditing(null)}
        />
      )}
      <div class="card">
        <h2>{t('users.own.title')}</h2>
        <ChangePasswordForm />
      </div>
    </section>
  );
}
