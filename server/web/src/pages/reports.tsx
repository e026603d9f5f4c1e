import { useT } from '../i18n/index.js';

export function ReportsPage(_props: { path: string }) {
  const t = useT();
  return <h1>{t('reports.title')}</h1>;
}
