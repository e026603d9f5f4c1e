/**
 * Bulletins: a title plus audio, rendered from Vietnamese text by TTS, normalised from an upload
 * (a recording in any language, with an optional transcript), or joined from parts (chimes, spoken
 * text, earlier recordings). A bulletin belongs to its author's area: it is visible there and below,
 * it is spoken in that area's default voice unless it names one, and an operator's bulletin waits
 * for an approver (approval-service.ts) like the broadcasts that play it.
 */
import { inheritedVoiceProfile, type VoiceProfile } from '../areas/area-service.js';
import { isReviewer, type Actor } from '../auth/actor.js';
import type { AccessScope } from '../auth/access-scope.js';
import { AppError, notFound, validationError } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { Prisma } from '../db/generated/client.js';
import type { ApprovalState, AudioSource } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { AudioRenderer, RenderedAudio, RenderedAudioRecord } from '../audio/audio-renderer.js';
import type { ToneName } from '../audio/tones/tone-library.js';
import type { ProviderVoices, VoiceSelection } from '../audio/voice-catalogue.js';
import { audioUrl } from '../dispatch/play-command-builder.js';
import type { PublicUrl } from '../public-url.js';
import { recordAudio } from '../db/audio-records.js';
import type { SpeechPreparer } from '../speech/speech-preparer.js';
import type { NormalizedText } from '../speech/vietnamese-normalizer.js';
import { recordApproval } from './approval-log.js';

export interface VoiceSettings {
  /** A voice of GET /api/tts/voices; the author's area default (or the server's) when absent. */
  readonly voice?: string | undefined;
  readonly speakingRate?: number | undefined;
  /** Semitones from the voice's normal pitch. */
  readonly pitch?: number | undefined;
}

export interface TextBulletinInput extends VoiceSettings {
  readonly title: string;
  readonly text: string;
  readonly language?: string | undefined;
}

export interface RecordingDetails {
  /** What is spoken in the recording (BCP 47: `vi`, `mtq`, `hmn`…); the default language when absent. */
  readonly language?: string | undefined;
  /** What the recording says, for the record. */
  readonly transcript?: string | undefined;
}

export type BulletinPartInput =
  | { readonly kind: 'chime'; readonly name?: ToneName | undefined }
  | ({ readonly kind: 'tts'; readonly text: string; readonly language?: string | undefined } & VoiceSettings)
  /** The audio of an earlier bulletin (an uploaded recording, say) that the author may see. */
  | { readonly kind: 'audio'; readonly bulletinId: string };

export interface PartsBulletinInput {
  readonly title: string;
  readonly parts: readonly BulletinPartInput[];
}

/** A part as stored and shown: what was asked, filled in, and the audio it contributed. */
export type BulletinPart = { readonly sha256: string; readonly durationMs: number } & (
  | { readonly kind: 'chime'; readonly name: ToneName }
  | {
      readonly kind: 'tts';
      readonly text: string;
      readonly language: string;
      readonly voice: string;
      readonly speakingRate: number;
      readonly pitch: number;
    }
  | { readonly kind: 'audio'; readonly bulletinId: string }
);

export interface BulletinView {
  readonly id: string;
  readonly title: string;
  /** The text as written (for parts, the spoken parts' texts); what was spoken may differ (see spokenTextFor). */
  readonly text: string | null;
  readonly voice: string | null;
  readonly speakingRate: number | null;
  readonly pitch: number | null;
  readonly language: string;
  readonly source: AudioSource;
  readonly transcript: string | null;
  readonly parts: readonly BulletinPart[] | null;
  readonly approvalState: ApprovalState;
  readonly areaId: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly audio: RenderedAudioRecord & { readonly url: string };
}

export interface VoiceOptions {
  readonly language: string;
  /** Silence between the pieces of a long text and between parts. */
  readonly pauseMs: number;
  /** What a bulletin naming no voice is spoken with when its author's area has no default. */
  readonly serverDefault: VoiceSelection;
  /** The default of the caller's area (or the nearest area above it), null when none is set. */
  readonly areaDefault: VoiceProfile | null;
  readonly providers: readonly ProviderVoices[];
}

const bulletinSelect = {
  id: true,
  title: true,
  text: true,
  voice: true,
  speakingRate: true,
  pitch: true,
  language: true,
  source: true,
  transcript: true,
  parts: true,
  approvalState: true,
  areaId: true,
  createdBy: true,
  createdAt: true,
  audio: { select: { sha256: true, bytes: true, mime: true, durationMs: true, loudnessLufs: true, truePeakDbtp: true } },
} as const;

type BulletinRow = Omit<BulletinView, 'parts' | 'audio'> & { readonly parts: unknown; readonly audio: RenderedAudioRecord };

interface BulletinFields {
  readonly title: string;
  readonly text: string | null;
  readonly voice: VoiceSelection | null;
  readonly language: string;
  readonly source: AudioSource;
  readonly transcript: string | null;
  readonly parts: readonly BulletinPart[] | null;
}

export interface SpeechPreview extends NormalizedText {
  readonly voice: { readonly voice: string; readonly speakingRate: number; readonly pitch: number };
  readonly audio: { readonly url: string; readonly sha256: string; readonly durationMs: number; readonly cached: boolean };
}

export class BulletinService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly renderer: AudioRenderer,
    private readonly serverUrl: PublicUrl,
    private readonly speech: SpeechPreparer,
    private readonly defaultLanguage = 'vi-VN',
  ) {}

  /**
   * "Listen before sending": the text as it will be spoken in `areaId` (the author's area when
   * absent), every change and flagged token, and the audio, rendered and cached exactly as a
   * bulletin with these settings would be.
   */
  async preview(input: { text: string; areaId?: string | undefined } & VoiceSettings, actor: Actor): Promise<SpeechPreview> {
    const spoken = await this.speak(input.text, this.defaultLanguage, input, actor, input.areaId ?? authorAreaOf(actor));
    // Recorded like a bulletin's audio, so its URL serves it.
    await recordAudio(this.prisma, spoken.audio);
    const { sha256, mime, durationMs, cached } = spoken.audio;
    return {
      ...spoken.prepared,
      voice: pickVoice(spoken.audio.voice),
      audio: { url: audioUrl(this.serverUrl.value, sha256, mime), sha256, durationMs, cached },
    };
  }

  async createFromText(input: TextBulletinInput, actor: Actor): Promise<BulletinView> {
    const language = input.language ?? this.defaultLanguage;
    const { audio } = await this.speak(input.text, language, input, actor);
    return this.store({ title: input.title, text: input.text, voice: audio.voice, language, source: 'tts', transcript: null, parts: null }, audio, actor);
  }

  async createFromUpload(title: string, filePath: string, originalName: string, actor: Actor, details: RecordingDetails = {}): Promise<BulletinView> {
    const rendered = await this.renderer.normalizeUpload(filePath, originalName);
    const fields = { title, text: null, voice: null, language: details.language ?? this.defaultLanguage, source: 'upload', transcript: details.transcript ?? null, parts: null } as const;
    return this.store(fields, rendered, actor);
  }

  /** One file from the parts in order, with the configured pause between them. */
  async createFromParts(input: PartsBulletinInput, actor: Actor): Promise<BulletinView> {
    if (input.parts.length === 0) throw validationError('parts: at least one part is required', [{ field: 'parts', message: 'at least one part is required' }]);
    const parts: BulletinPart[] = [];
    for (const [index, part] of input.parts.entries()) {
      parts.push(await this.renderPart(part, actor).catch((error: unknown) => Promise.reject(withFieldPrefix(error, `parts.${index}`))));
    }
    const joined = await this.renderer.renderSequence(parts.map((part) => part.sha256));
    const texts = parts.flatMap((part) => (part.kind === 'tts' ? [part.text] : []));
    const language = parts.find((part) => part.kind === 'tts')?.language ?? this.defaultLanguage;
    const fields = { title: input.title, text: texts.length > 0 ? texts.join('\n\n') : null, voice: null, language, source: 'parts', transcript: null, parts } as const;
    return this.store(fields, joined, actor);
  }

  /** The voices a bulletin may name, and the defaults that apply to `actor` when it names none. */
  async voiceOptions(actor: Actor): Promise<VoiceOptions> {
    const [providers, serverDefault, areaDefault] = await Promise.all([
      this.renderer.listVoices(this.defaultLanguage),
      this.renderer.selectVoice({ language: this.defaultLanguage }),
      inheritedVoiceProfile(this.prisma, authorAreaOf(actor)),
    ]);
    return { language: this.defaultLanguage, pauseMs: this.renderer.pauseMs, serverDefault, areaDefault, providers };
  }

  /** Throws a 400 naming `voice`, `speakingRate` or `pitch` unless an engine offers the voice with those settings. */
  async checkVoice(profile: VoiceProfile): Promise<VoiceSelection> {
    return this.renderer.selectVoice({
      language: this.defaultLanguage,
      voice: profile.voice,
      speakingRate: profile.speakingRate ?? undefined,
      pitch: profile.pitch ?? undefined,
    });
  }

  /** One bulletin; outside `scope` it does not exist. */
  async get(id: string, field?: string, scope?: AccessScope): Promise<BulletinView> {
    const bulletin = await this.prisma.bulletin.findUnique({ where: { id }, select: bulletinSelect });
    if (!bulletin || (scope && !isVisible(bulletin.areaId, scope))) throw notFound('bulletin', id, field);
    return this.toView(bulletin);
  }

  async list(scope: AccessScope, limit = 100): Promise<BulletinView[]> {
    const visible = scope.visibleAreas;
    const rows = await this.prisma.bulletin.findMany({
      where: visible ? { OR: [{ areaId: null }, { areaId: { in: [...visible] } }] } : {},
      select: bulletinSelect,
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map((row) => this.toView(row));
  }

  /**
   * What the engine is given to say for `text`: the written text is what the bulletin stores; the
   * engine gets it speech-ready (the area's dictionary, then numbers, dates, abbreviations spelled
   * out). Only Vietnamese has rules; other languages are spoken as written.
   */
  private async spokenTextFor(text: string, language: string, areaId: string | null): Promise<NormalizedText> {
    if (!language.toLowerCase().startsWith('vi')) return { spokenText: text, changes: [], flagged: [] };
    return this.speech.prepare(text, areaId);
  }

  private async speak(text: string, language: string, settings: VoiceSettings, actor: Actor, areaId = authorAreaOf(actor)) {
    const [voice, prepared] = await Promise.all([this.voiceSettingsFor(settings, areaId), this.spokenTextFor(text, language, areaId)]);
    return { prepared, audio: await this.renderer.renderText({ ...voice, text: prepared.spokenText, language }) };
  }

  /** The request's voice, else its author's area's (rate and pitch go with the voice they were set for), else the server's. */
  private async voiceSettingsFor(settings: VoiceSettings, areaId: string | null): Promise<VoiceSettings> {
    // Only the voice fields: callers pass whole requests, whose other fields (the text) must not ride along.
    if (settings.voice) return { voice: settings.voice, speakingRate: settings.speakingRate, pitch: settings.pitch };
    const profile = await inheritedVoiceProfile(this.prisma, areaId);
    if (!profile) return { speakingRate: settings.speakingRate, pitch: settings.pitch };
    return {
      voice: profile.voice,
      speakingRate: settings.speakingRate ?? profile.speakingRate ?? undefined,
      pitch: settings.pitch ?? profile.pitch ?? undefined,
    };
  }

  private async renderPart(part: BulletinPartInput, actor: Actor): Promise<BulletinPart> {
    switch (part.kind) {
      case 'chime': {
        const name = part.name ?? 'chime';
        const audio = await this.renderer.renderTone(name);
        return { kind: 'chime', name, sha256: audio.sha256, durationMs: audio.durationMs };
      }
      case 'tts': {
        const language = part.language ?? this.defaultLanguage;
        const { audio } = await this.speak(part.text, language, part, actor);
        return { kind: 'tts', text: part.text, language, ...pickVoice(audio.voice), sha256: audio.sha256, durationMs: audio.durationMs };
      }
      case 'audio': {
        const bulletin = await this.get(part.bulletinId, 'bulletinId', actor.scope);
        return { kind: 'audio', bulletinId: bulletin.id, sha256: bulletin.audio.sha256, durationMs: bulletin.audio.durationMs };
      }
    }
  }

  private async store(fields: BulletinFields, audio: RenderedAudio, actor: Actor): Promise<BulletinView> {
    await recordAudio(this.prisma, audio);
    const approvalState: ApprovalState = isReviewer(actor) ? 'approved' : 'pending';
    const { voice, parts, ...rest } = fields;
    const bulletin = await this.prisma.bulletin.create({
      data: {
        id: newId(),
        ...rest,
        voice: voice?.voice ?? null,
        speakingRate: voice?.speakingRate ?? null,
        pitch: voice?.pitch ?? null,
        parts: parts ? [...parts] : Prisma.DbNull,
        audioSha256: audio.sha256,
        createdBy: actor.user?.id ?? null,
        areaId: authorAreaOf(actor),
        approvalState,
      },
      select: bulletinSelect,
    });
    await recordApproval(this.prisma, 'bulletin', bulletin.id, { from: null, to: approvalState, actor });
    return this.toView(bulletin);
  }

  private toView(row: BulletinRow): BulletinView {
    return {
      ...row,
      parts: Array.isArray(row.parts) ? (row.parts as BulletinPart[]) : null,
      audio: { ...row.audio, url: audioUrl(this.serverUrl.value, row.audio.sha256, row.audio.mime) },
    };
  }
}

/** An admin writes for the whole network; anyone else for their own area. */
function authorAreaOf(actor: Actor): string | null {
  return actor.user?.role === 'admin' ? null : (actor.user?.areaId ?? null);
}

function pickVoice(selection: VoiceSelection): { voice: string; speakingRate: number; pitch: number } {
  return { voice: selection.voice, speakingRate: selection.speakingRate, pitch: selection.pitch };
}

/** A part's error names its field within the request, e.g. `parts.2.bulletinId`. */
function withFieldPrefix(error: unknown, prefix: string): unknown {
  if (!(error instanceof AppError) || error.statusCode >= 500) return error;
  const details = error.details.length > 0
    ? error.details.map((detail) => ({ ...detail, field: detail.field ? `${prefix}.${detail.field}` : prefix }))
    : [{ field: prefix, message: error.message }];
  return new AppError(error.code, error.statusCode, `${prefix}: ${error.message}`, details, { cause: error });
}

/** A network-wide bulletin (no area) is visible to all; an area's bulletin in that area, below it, and above it. */
function isVisible(areaId: string | null, scope: AccessScope): boolean {
  return areaId === null || scope.concernsArea(areaId);
}
