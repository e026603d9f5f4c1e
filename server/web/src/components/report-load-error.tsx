/** A report that could not be loaded: why, in plain words, and a way to try again. */
import type { ApiError } from '../api.js';
import { useT } from '../i18n/index.js';

export function ReportLoadError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const t = useT();
  const field = error.details.find((detail) => detail.field === 'from' || detail.field === 'to');
  const message =
    error.status === 0
      ? t('app.networkError')
      : error.status === 404
        ? t('reports.error.notFound')
        : field
          ? t('reports.error.period', { message: field.message })
          : t('app.error', { message: error.message });
  return (
    <p class="notice error" role="alert" data-testid="report-error">
      {message}{' '}
      {error.status !== 404 && (
        <button type="button" class="link-button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </p>
  );
}
