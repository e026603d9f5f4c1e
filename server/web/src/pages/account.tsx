/** `#/account`: who is signed in, with what role and area, and changing one's own password. Reached from the user badge. */
import { ChangePasswordForm } from '../components/user-password.js';
import { useT } from '../i18n/index.js';
import { areaPath } from '../lib/area-tree.js';
import { useSession } from '../session.js';

export function AccountPage(_props: { path: string }) {
  const t = useT();
  const { user, areas } = useSession();
  const area = user.areaId
    ? areaPath(areas, user.areaId)
        .map((a) => a.name)
        .join(' › ')
    : t('user.allAreas');
  return (
    <section class="account-page" data-testid="account">
      <h1>{t('nav.account')}</h1>
      <dl class="card facts">
        <dt>{t('account.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`role.${user.role}` as const)}</dd>
        <dt>{t('account.area')}</dt>
        <dd>{area}</dd>
      </dl>
      <ChangePasswordForm />
    </section>
  );
}
