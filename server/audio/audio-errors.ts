/** Errors of the audio pipeline that reach the API: a file that is not audio (415) or is too long (422) is the caller's fault. */
import { AppError } from '../errors.js';

export class UnsupportedAudioError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, message, [{ field: 'file', message }], options);
    this.name = 'UnsupportedAudioError';
  }
}

export class AudioTooLongError extends AppError {
  /** `durationSeconds` when known; decoding stops at the limit, so it only knows that it was passed. */
  constructor(displayName: string, readonly maxSeconds: number, durationSeconds?: number) {
    const limit = `longer than the limit of ${maxSeconds} s`;
    const message = durationSeconds === undefined ? `"${displayName}" is ${limit}` : `"${displayName}" lasts ${Math.round(durationSeconds)} s, ${limit}`;
    super('AUDIO_TOO_LONG', 422, message, [{ field: 'file', message: limit }]);
    this.name = 'AudioTooLongError';
  }
}
