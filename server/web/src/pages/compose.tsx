import { useT } from '../i18n/index.js';

export function ComposePage(_props: { path: string }) {
  const t = useT();
  return <h1>{t('compose.title')}</h1>;
}
