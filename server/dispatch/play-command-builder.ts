/** Turns a stored occurrence into the protocol's play command. Pure. */
import type { AudioRef, PlayCommand, Priority, SignalRef } from '../../protocol/index.js';

export interface StoredAudio {
  readonly sha256: string;
  readonly bytes: number;
  readonly durationMs: number;
  readonly mime: string;
}

/** An emergency airing's extras, as stored on its occurrence (`playOptions`). */
export interface PlayOptions {
  readonly signal?: { readonly name: string; readonly audio: StoredAudio } | undefined;
  readonly repeat?: { readonly count: number; readonly gapMs: number } | undefined;
}

export interface DispatchableOccurrence {
  /** The occurrence id, used as the command id: a receiver reached twice (command and manifest) plays once. */
  readonly id: string;
  readonly broadcastId: string;
  readonly priority: Priority;
  readonly startAt: Date;
  readonly expiresAt: Date;
  readonly audio: StoredAudio;
  readonly playOptions?: PlayOptions | null | undefined;
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

export function buildAudioRef(audio: StoredAudio, serverUrl: string): AudioRef {
  const mime = audio.mime === 'audio/ogg' || audio.mime === 'audio/wav' ? audio.mime : 'audio/mpeg';
  return { url: audioUrl(serverUrl, audio.sha256, mime), sha256: audio.sha256, bytes: audio.bytes, durationMs: audio.durationMs, mime };
}

export function buildPlayCommand(occurrence: DispatchableOccurrence, serverUrl: string, issuedAt: number): PlayCommand {
  const { signal, repeat } = occurrence.playOptions ?? {};
  const signalRef: SignalRef | undefined = signal ? { name: signal.name, audio: buildAudioRef(signal.audio, serverUrl) } : undefined;
  return {
    type: 'play',
    commandId: occurrence.id,
    broadcastId: occurrence.broadcastId,
    priority: occurrence.priority,
    audio: buildAudioRef(occurrence.audio, serverUrl),
    startAt: occurrence.startAt.getTime(),
    expiresAt: occurrence.expiresAt.getTime(),
    issuedAt,
    ...(signalRef ? { signal: signalRef } : {}),
    ...(repeat && repeat.count > 1 ? { repeat } : {}),
  };
}
