/** Turns a stored broadcast into the protocol's play command. Pure. */
import type { PlayCommand, Priority } from '../../protocol/index.js';

export interface DispatchableBroadcast {
  readonly id: string;
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

export function buildPlayCommand(broadcast: DispatchableBroadcast, serverUrl: string, issuedAt: number): PlayCommand {
  const mime = broadcast.audio.mime === 'audio/ogg' || broadcast.audio.mime === 'audio/wav' ? broadcast.audio.mime : 'audio/mpeg';
  return {
    type: 'play',
    // One command id per broadcast: a receiver reached twice (command + manifest, or a resend) plays once.
    commandId: broadcast.id,
    broadcastId: broadcast.id,
    priority: broadcast.priority,
    audio: {
      url: audioUrl(serverUrl, broadcast.audio.sha256, mime),
      sha256: broadcast.audio.sha256,
      bytes: broadcast.audio.bytes,
      durationMs: broadcast.audio.durationMs,
      mime,
    },
    startAt: broadcast.startAt.getTime(),
    expiresAt: broadcast.expiresAt.getTime(),
    issuedAt,
  };
}
