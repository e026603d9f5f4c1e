/**
 * Recording from the microphone and uploading a recording: which format this browser records,
 * the file name the server needs to accept it (server/http/audio-upload.ts reads the extension),
 * the multipart body of POST /api/bulletins, and what a refused microphone means for the official.
 */

/** In order of preference; the server takes any of them (UPLOAD_EXTENSIONS). */
export const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg', 'audio/mp4'] as const;

/** What the server accepts as an uploaded file (audio-upload.ts UPLOAD_EXTENSIONS). */
export const UPLOAD_ACCEPT = '.mp3,.wav,.ogg,.oga,.opus,.m4a,.aac,.webm,.flac,audio/*';

/** The first type the browser can record, or undefined to let it choose. */
export function pickRecordingType(isSupported: (type: string) => boolean): string | undefined {
  return RECORDING_TYPES.find((type) => isSupported(type));
}

/** "ghi-am-….webm": the extension follows the container the browser actually recorded. */
export function recordingFileName(mimeType: string, stamp: string): string {
  const container = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = container === 'audio/ogg' ? 'ogg' : container === 'audio/mp4' || container === 'audio/x-m4a' ? 'm4a' : container === 'audio/wav' ? 'wav' : 'webm';
  return `ghi-am-${stamp.replace(/[^0-9A-Za-z-]/g, '-')}.${extension}`;
}

/** 0:07, 1:05, 1:02:03: the length of a recording as it grows. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export type MicrophoneProblem = 'denied' | 'missing' | 'busy' | 'insecure' | 'unsupported' | 'failed';

/**
 * Why the microphone could not be used, from getUserMedia's DOMException name
 * (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia).
 */
export function microphoneProblem(error: unknown): MicrophoneProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'SecurityError':
      return 'insecure';
    default:
      return 'failed';
  }
}

/**
 * Whether this page can record at all: browsers offer the microphone only to secure pages
 * (https, or localhost), and very old ones have no MediaRecorder.
 */
export function recordingSupport(env: { isSecureContext: boolean; hasMediaDevices: boolean; hasMediaRecorder: boolean }): MicrophoneProblem | null {
  if (!env.isSecureContext) return 'insecure';
  if (!env.hasMediaDevices || !env.hasMediaRecorder) return 'unsupported';
  return null;
}

export interface RecordingDetails {
  readonly title: string;
  /** A language tag: vi, mtq, hmn… */
  readonly language: string;
  readonly transcript: string;
}

/** The multipart body of POST /api/bulletins for a recording; the fields go before the file. */
export function recordingForm(details: RecordingDetails, file: Blob, fileName: string): FormData {
  const form = new FormData();
  form.append('title', details.title.trim());
  if (details.language.trim()) form.append('language', details.language.trim());
  if (details.transcript.trim()) form.append('transcript', details.transcript.trim());
  form.append('file', file, fileName);
  return form;
}

/** Languages recordings are often made in, in Hòa Bình and the north-west; the API takes any tag. */
export const RECORDING_LANGUAGES = ['vi', 'mtq', 'blt', 'hmn', 'ium', 'tyz'] as const;
