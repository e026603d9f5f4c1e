import { useT } from '../i18n/index.js';

export function ApprovalsPage(_props: { path: string }) {
  const t = useT();
  return <h1>{t('approvals.title')}</h1>;
}
