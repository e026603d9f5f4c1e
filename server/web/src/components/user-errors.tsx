/** The server's messages about a users form, in the console's language, next to their field or above the buttons. */
import type { ApiError } from '../api.js';
import { useT, type Translate } from '../i18n/index.js';
import { fieldMessages, knownError, otherDetails } from '../lib/user-form.js';

export function userErrorText(t: Translate, field: string, message: string): string {
  const known = knownError(field, message);
  if (!known) return message;
  switch (known.key) {
    case 'tooShort':
      return t('users.error.tooShort', { min: known.min });
    case 'tooLong':
      return t('users.error.tooLong', { max: known.max });
    default:
      return t(`users.error.${known.key}` as const);
  }
}

/** Every message about `field` (a password can break several rules at once). */
export function UserFieldErrors({ error, field }: { error: ApiError | null; field: string }) {
  const t = useT();
  return (
    <>
      {fieldMessages(error, field).map((message) => (
        <span key={message} class="field-error" data-testid={`${field}-error`}>
          {userErrorText(t, field, message)}
        </span>
      ))}
    </>
  );
}

/** What the fields do not show: a network failure, a refusal, or a message about something else. */
export function UserErrorNotice({ error, fields }: { error: ApiError | null; fields: readonly string[] }) {
  const t = useT();
  if (!error) return null;
  const others = otherDetails(error, fields).map((detail) => userErrorText(t, detail.field, detail.message));
  if (error.details.length > 0 && others.length === 0) return null;
  const text =
    error.status === 0
      ? t('app.networkError')
      : error.status === 403
        ? t('users.error.forbidden')
        : others.length > 0
          ? others.join(' ')
          : userErrorText(t, '', error.message);
  return (
    <p class="notice error" role="alert" data-testid="user-error">
      {text}
    </p>
  );
}
