/** What the composer and the schedule form read from the API (dates arrive as ISO strings). */

export interface SettingRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export interface VoiceInfo {
  readonly provider: string;
  readonly name: string;
  readonly label: string;
  readonly gender: 'female' | 'male' | 'neutral' | null;
  readonly speakingRate: SettingRange;
  /** Null when the voice cannot change its pitch. */
  readonly pitch: SettingRange | null;
}

export interface ProviderVoices {
  readonly provider: string;
  readonly isDefault: boolean;
  readonly defaultVoice: string;
  readonly available: boolean;
  readonly error?: string;
  readonly voices: readonly VoiceInfo[];
}

/** GET /api/tts/voices */
export interface VoiceOptions {
  readonly language: string;
  readonly pauseMs: number;
  readonly serverDefault: { readonly provider: string; readonly voice: string; readonly speakingRate: number; readonly pitch: number };
  readonly areaDefault: { readonly voice: string; readonly speakingRate: number | null; readonly pitch: number | null } | null;
  readonly providers: readonly ProviderVoices[];
  readonly limits?: BulletinLimits;
}

/** The server's BULLETIN_MAX_CHARS, UPLOAD_MAX_BYTES and UPLOAD_MAX_SECONDS. */
export interface BulletinLimits {
  readonly textMaxChars: number;
  readonly uploadMaxBytes: number;
  readonly uploadMaxSeconds: number;
}

export interface SpeechChange {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
  readonly index: number;
}

export interface FlaggedToken {
  readonly token: string;
  readonly index: number;
  readonly code: string;
  readonly reason: string;
}

/** POST /api/tts/preview */
export interface SpeechPreview {
  readonly spokenText: string;
  readonly changes: readonly SpeechChange[];
  readonly flagged: readonly FlaggedToken[];
  readonly voice: { readonly voice: string; readonly speakingRate: number; readonly pitch: number };
  readonly audio: { readonly url: string; readonly sha256: string; readonly durationMs: number };
}

/** POST/GET /api/bulletins */
export interface Bulletin {
  readonly id: string;
  readonly title: string;
  readonly text: string | null;
  readonly voice: string | null;
  readonly speakingRate: number | null;
  readonly source: 'tts' | 'upload' | 'parts' | string;
  readonly language: string;
  readonly approvalState: 'pending' | 'approved' | 'rejected';
  readonly createdAt: string;
  readonly audio: { readonly url: string; readonly sha256: string; readonly durationMs: number };
}

export interface BroadcastWarning {
  /** OVERLAP, PREEMPTS, PREEMPTED or QUIET_HOURS today; a newer server may add more. */
  readonly code: string;
  readonly message: string;
  readonly at?: string;
  readonly deviceCount?: number;
  readonly withBroadcastId?: string;
  readonly withTitle?: string;
}

/** POST /api/broadcasts/check */
export interface BroadcastCheck {
  readonly receiverCount: number;
  readonly approvalState: 'pending' | 'approved' | 'rejected';
  readonly distribution: 'direct' | 'offered';
  readonly priority: string;
  readonly nextStarts: readonly string[];
  readonly warnings: readonly BroadcastWarning[];
}

/** POST /api/broadcasts, as far as the form reads it. */
export interface SavedBroadcast {
  readonly id: string;
  readonly approvalState: 'pending' | 'approved' | 'rejected';
  readonly distribution: 'direct' | 'offered';
  readonly startAt: string | null;
  readonly warnings?: readonly BroadcastWarning[];
}
