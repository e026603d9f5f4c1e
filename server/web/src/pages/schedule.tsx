import { useT } from '../i18n/index.js';

export function SchedulePage(_props: { path: string }) {
  const t = useT();
  return <h1>{t('schedule.title')}</h1>;
}
