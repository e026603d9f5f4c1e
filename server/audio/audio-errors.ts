/** Errors of the audio pipeline that reach the API: a file that is not audio is the caller's fault (415). */
import { AppError } from '../errors.js';

export class UnsupportedAudioError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, message, [{ field: 'file', message }], options);
    this.name = 'UnsupportedAudioError';
  }
}
