/**
 * The error catalogue: every error the API returns is an AppError with a stable code and an HTTP status.
 * The HTTP error handler maps it to `{statusCode, code, message, details}`.
 */

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `target.areaIds.0`. */
  readonly field?: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export const validationError = (message: string, details: readonly ErrorDetail[] = []) =>
  new AppError('VALIDATION_FAILED', 400, message, details);

export const notFound = (what: string, id: string, field?: string) =>
  new AppError('NOT_FOUND', 404, `${what} "${id}" does not exist`, field ? [{ field, message: `unknown ${what}` }] : []);

export const unauthorized = (message = 'Authentication required') => new AppError('UNAUTHORIZED', 401, message);

export const forbidden = (message = 'Not allowed', details: readonly ErrorDetail[] = []) =>
  new AppError('FORBIDDEN', 403, message, details);

export const conflict = (message: string, field?: string) =>
  new AppError('CONFLICT', 409, message, field ? [{ field, message }] : []);

export const unsupportedMedia = (message: string, field = 'file') =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', 415, message, [{ field, message }]);

export const payloadTooLarge = (message: string, field?: string) =>
  new AppError('PAYLOAD_TOO_LARGE', 413, message, field ? [{ field, message }] : []);

export const upstreamFailed = (message: string, cause: unknown) =>
  new AppError('UPSTREAM_FAILED', 502, message, [], { cause });

export const tooManyAttempts = (message: string, retryAfterSeconds: number, code = 'TOO_MANY_ATTEMPTS') =>
  new AppError(code, 429, message, [{ message: `retry after ${retryAfterSeconds} s` }], { cause: { retryAfterSeconds } });
