/** Turns a stored occurrence into the protocol's play command. Pure. */
import type { PlayCommand, Priority } from '../../protocol/index.js';

export interface DispatchableOccurrence {
  /** The occurrence id, used as the command id: a receiver reached twice (command and manifest) plays once. */
  readonly id: string;
  readonly broadcastId: string;
  readonly priority: Priority;
  readonly startAt: Date;
  readonly expiresAt: Date;
  readonly audio: { readonly sha256: string; readonly bytes: number; readonly durationMs: number; readonly mime: string };
}

export function audioUrl(serverUrl: string, sha256: string, mime: string): string {
  return `${serverUrl}/audio/${sha256}.${extensionFor(mime)}`;
}

export function extensionFor(mime: string): string {
  switch (mime) {
    case 'audio/ogg':
      return 'ogg';
    case 'audio/wav':
      return 'wav';
    default:
      return 'mp3';
  }
}

export function buildPlayCommand(occurrence: DispatchableOccurrence, serverUrl: string, issuedAt: number): PlayCommand {
  const mime = occurrence.audio.mime === 'audio/ogg' || occurrence.audio.mime === 'audio/wav' ? occurrence.audio.mime : 'audio/mpeg';
  return {
    type: 'play',
    commandId: occurrence.id,
    broadcastId: occurrence.broadcastId,
    priority: occurrence.priority,
    audio: {
      url: audioUrl(serverUrl, occurrence.audio.sha256, mime),
      sha256: occurrence.audio.sha256,
      bytes: occurrence.audio.bytes,
      durationMs: occurrence.audio.durationMs,
      mime,
    },
    startAt: occurrence.startAt.getTime(),
    expiresAt: occurrence.expiresAt.getTime(),
    issuedAt,
  };
}
