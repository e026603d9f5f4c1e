import { useT } from '../i18n/index.js';

export function ReceiversPage(_props: { path: string }) {
  const t = useT();
  return <h1>{t('receivers.title')}</h1>;
}
