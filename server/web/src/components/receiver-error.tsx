/** A failed request in plain words: the network, a refusal, or the server's own message. */
import type { ApiError } from '../api.js';
import { useT } from '../i18n/index.js';

export function ReceiverErrorNotice({ error, testId }: { error: ApiError; testId?: string }) {
  const t = useT();
  const text =
    error.status === 0
      ? t('app.networkError')
      : error.status === 403
        ? t('receivers.error.forbidden')
        : error.status === 404
          ? t('receivers.error.notFound')
          : t('app.error', { message: error.message });
  return (
    <p class="notice error" role="alert" data-testid={testId}>
      {text}
    </p>
  );
}
