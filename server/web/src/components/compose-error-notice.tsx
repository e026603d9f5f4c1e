/**
 * Errors in the composer and the schedule form: a field's message stands next to the field; what
 * the server said about anything else (or without naming a field) is listed in one notice.
 */
import type { ApiError, FieldError } from '../api.js';
import { useT } from '../i18n/index.js';

export function FieldMessage({ message, testId }: { message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <span class="field-error" role="alert" data-testid={testId}>
      {message}
    </span>
  );
}

interface NoticeProps {
  readonly error: ApiError;
  /** Details the form shows in place, left out here. */
  readonly elsewhere: readonly FieldError[];
  readonly testId: string;
}

export function ServerErrorNotice({ error, elsewhere, testId }: NoticeProps) {
  const t = useT();
  if (error.status === 0) {
    return (
      <div class="notice error" role="alert" data-testid={testId}>
        {t('app.networkError')}
      </div>
    );
  }
  if (error.details.length === 0) {
    return (
      <div class="notice error" role="alert" data-testid={testId}>
        {error.status === 403 ? t('compose.error.forbidden', { message: error.message }) : t('app.error', { message: error.message })}
      </div>
    );
  }
  return (
    <div class="notice error" role="alert" data-testid={testId}>
      {t('compose.error.fields')}
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map((detail) => (
            <li key={`${detail.field}:${detail.message}`}>{detail.field === 'body' ? detail.message : `${detail.field}: ${detail.message}`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
