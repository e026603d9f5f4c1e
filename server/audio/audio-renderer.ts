/**
 * The audio service the rest of the server uses: Vietnamese text → speech → normalised, encoded,
 * content-addressed file; an upload → the same, with its silent ends cut; attention tones; and a
 * sequence of stored files joined into one. Renders are cached by what shapes them and identical
 * requests already in flight share one render, so nothing is synthesised twice.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validationError } from '../errors.js';
import { UnsupportedAudioError } from './audio-errors.js';
import { joinAudioFiles } from './audio-sequence.js';
import type { AudioStore } from './audio-store.js';
import { DEFAULT_ENCODING, type EncodingSettings } from './encoding-settings.js';
import { normalizeLoudness, type NormalizedAudio } from './loudness-normalizer.js';
import { GainMemory } from './loudness-targeting.js';
import { canonicalLanguage, canonicalText, renderCacheKey, sequenceCacheKey, toneCacheKey } from './render-cache-key.js';
import { withTempDir } from './temp-workspace.js';
import { generateSignalWav } from './tones/signal-generator.js';
import { generateToneWav } from './tones/tone-generator.js';
import { TONES, type ToneName } from './tones/tone-library.js';
import type { SignalPattern } from '../../protocol/index.js';
import { DEFAULT_LANGUAGE, TtsError, type TtsProvider } from './tts/tts-provider.js';
import { probeUpload } from './upload-probe.js';
import { VoiceCatalogue, type ProviderVoices, type VoiceSelection } from './voice-catalogue.js';

export interface RenderedAudioRecord {
  readonly sha256: string;
  readonly bytes: number;
  readonly mime: string;
  readonly durationMs: number;
  readonly loudnessLufs: number | null;
  readonly truePeakDbtp: number | null;
}

export interface RenderedAudio extends RenderedAudioRecord {
  /** True when this call synthesised nothing: a cache hit, or it joined an identical render in flight. */
  readonly cached: boolean;
}

export interface RenderedSpeech extends RenderedAudio {
  /** The engine, voice and settings it was spoken with, defaults filled in. */
  readonly voice: VoiceSelection;
}

/** Render cache key → the audio it produced. The server implements it with Prisma (server/db/prisma-render-cache.ts). */
export interface RenderCache {
  get(key: string): Promise<RenderedAudioRecord | null>;
  put(key: string, audio: RenderedAudioRecord): Promise<void>;
}

export interface RenderTextRequest {
  readonly text: string;
  /** A voice of any configured engine (GET /api/tts/voices); the default engine's default voice when absent. */
  readonly voice?: string | undefined;
  /** BCP 47; `vi-VN` when absent. */
  readonly language?: string | undefined;
  readonly speakingRate?: number | undefined;
  /** Semitones from the voice's normal pitch. */
  readonly pitch?: number | undefined;
  /** A key of `providers`; the engine offering `voice` (or the default engine) when absent. */
  readonly provider?: string | undefined;
}

/** The part of pino's logger this service uses. */
export interface AudioLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
  debug(details: object, message?: string): void;
}

export interface AudioRendererOptions {
  readonly providers: Readonly<Record<string, TtsProvider>>;
  readonly defaultProvider: string;
  readonly store: Pick<AudioStore, 'put' | 'has' | 'locate'>;
  readonly cache: RenderCache;
  readonly encoding?: EncodingSettings;
  /** Parent of each job's scratch directory. */
  readonly tempDir: string;
  /** Longest upload accepted (UPLOAD_MAX_SECONDS). */
  readonly maxUploadSeconds: number;
  /** Silence between the pieces of a long text and between the parts of a sequence (TTS_PAUSE_MS). */
  readonly pauseMs?: number;
  /** Kept around the sound when an upload's silent ends are cut. */
  readonly uploadTrimMarginMs?: number;
  readonly logger: AudioLogger;
}

export const DEFAULT_PAUSE_MS = 400;
const DEFAULT_UPLOAD_TRIM_MARGIN_MS = 150;

export class AudioRenderer {
  readonly pauseMs: number;
  private readonly encoding: EncodingSettings;
  private readonly voices: VoiceCatalogue;
  private readonly inFlight = new Map<string, Promise<RenderedAudio>>();
  private readonly gains = new GainMemory();

  constructor(private readonly options: AudioRendererOptions) {
    this.encoding = options.encoding ?? DEFAULT_ENCODING;
    this.pauseMs = options.pauseMs ?? DEFAULT_PAUSE_MS;
    this.voices = new VoiceCatalogue(options.providers, options.defaultProvider, options.logger);
  }

  /** What each engine offers for `language`, with the ranges of each voice's settings. */
  listVoices(language: string = DEFAULT_LANGUAGE): Promise<ProviderVoices[]> {
    return this.voices.list(canonicalLanguage(language));
  }

  /** The engine and voice a request would be spoken with, checked, without speaking it. */
  selectVoice(request: Omit<RenderTextRequest, 'text'>): Promise<VoiceSelection> {
    return this.voices.select({ ...request, language: canonicalLanguage(request.language ?? DEFAULT_LANGUAGE) });
  }

  async renderText(request: RenderTextRequest): Promise<RenderedSpeech> {
    const language = canonicalLanguage(request.language ?? DEFAULT_LANGUAGE);
    const selection = await this.voices.select({ ...request, language });
    const text = canonicalText(request.text);
    if (!text) throw validationError('text: there is nothing to speak', [{ field: 'text', message: 'there is nothing to speak' }]);
    const provider = this.options.providers[selection.provider]!;
    const { voice, speakingRate, pitch } = selection;
    const key = renderCacheKey({ provider: provider.name, voice, language, speakingRate, pitch, pauseMs: this.pauseMs, text, encoding: this.encoding });
    const rendered = await this.deduplicated(key, () => this.synthesizeAndStore(provider, { text, voice, language, speakingRate, pitch, pauseMs: this.pauseMs }));
    return { ...rendered, voice: selection };
  }

  async normalizeUpload(filePath: string, originalName: string): Promise<RenderedAudio> {
    const started = performance.now();
    const maxSeconds = this.options.maxUploadSeconds;
    await probeUpload(filePath, { displayName: originalName, maxSeconds });
    const trimSilence = { marginMs: this.options.uploadTrimMarginMs ?? DEFAULT_UPLOAD_TRIM_MARGIN_MS };
    const stored = await withTempDir(this.options.tempDir, 'upload', async (workDir) =>
      this.store(await normalizeLoudness(filePath, { workDir, encoding: this.encoding, displayName: originalName, maxDurationSeconds: maxSeconds, trimSilence })),
    );
    this.options.logger.info({ originalName, sha256: stored.sha256, durationMs: stored.durationMs, loudnessLufs: stored.loudnessLufs, elapsedMs: elapsed(started) }, 'upload normalised');
    return { ...stored, cached: false };
  }

  /** A chime or attention tone (tones/tone-library.ts), made with ffmpeg the first time and stored like any audio. */
  async renderTone(name: ToneName): Promise<RenderedAudio> {
    const tone = TONES[name];
    return this.deduplicated(toneCacheKey({ name, ...tone }, this.encoding), () =>
      withTempDir(this.options.tempDir, 'tone', async (workDir) => {
        const tonePath = path.join(workDir, `${name}.wav`);
        await generateToneWav(tone, tonePath, this.encoding.sampleRateHz);
        return this.store(await normalizeLoudness(tonePath, { workDir, encoding: this.encoding, displayName: `${name} tone` }));
      }),
    );
  }

  /** An attention signal (blasts of a sound with gaps), made with ffmpeg once per pattern and stored like any audio. */
  async renderSignal(pattern: SignalPattern): Promise<RenderedAudio> {
    return this.deduplicated(toneCacheKey({ signal: pattern }, this.encoding), () =>
      withTempDir(this.options.tempDir, 'signal', async (workDir) => {
        const started = performance.now();
        const signalPath = path.join(workDir, 'signal.wav');
        await generateSignalWav(pattern, signalPath, this.encoding.sampleRateHz);
        const stored = await this.store(await normalizeLoudness(signalPath, { workDir, encoding: this.encoding, displayName: `${pattern.sound} signal` }));
        this.options.logger.info({ pattern, sha256: stored.sha256, durationMs: stored.durationMs, elapsedMs: elapsed(started) }, 'attention signal rendered');
        return stored;
      }),
    );
  }

  /**
   * Stored files (by sha256), joined in order with the configured pause between them and brought to
   * the loudness target as one file: it lasts the sum of its parts, the pauses and the usual padding.
   */
  async renderSequence(parts: readonly string[]): Promise<RenderedAudio> {
    if (parts.length === 0) throw validationError('parts: there is nothing to join', [{ field: 'parts', message: 'there is nothing to join' }]);
    const key = sequenceCacheKey({ parts, pauseMs: this.pauseMs, encoding: this.encoding });
    return this.deduplicated(key, () =>
      withTempDir(this.options.tempDir, 'sequence', async (workDir) => {
        const started = performance.now();
        const files: string[] = [];
        for (const sha256 of parts) {
          const located = await this.options.store.locate(sha256);
          if (!located) throw new Error(`audio ${sha256} is not in the audio store`);
          files.push(located.path);
        }
        const joined = await joinAudioFiles(files, { workDir, sampleRateHz: this.encoding.sampleRateHz, pauseMs: this.pauseMs });
        const stored = await this.store(await normalizeLoudness(joined.filePath, { workDir, encoding: this.encoding, displayName: 'joined parts' }));
        this.options.logger.info(
          { parts: parts.length, partDurationsMs: joined.partDurationsMs, sha256: stored.sha256, durationMs: stored.durationMs, loudnessLufs: stored.loudnessLufs, elapsedMs: elapsed(started) },
          'parts joined',
        );
        return stored;
      }),
    );
  }

  /** Identical renders in flight share one; finished ones come from the cache. */
  private async deduplicated(key: string, render: () => Promise<RenderedAudioRecord>): Promise<RenderedAudio> {
    const running = this.inFlight.get(key);
    if (running) return { ...(await running), cached: true };
    const rendering = this.cachedOrRendered(key, render);
    this.inFlight.set(key, rendering);
    try {
      return await rendering;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async cachedOrRendered(key: string, render: () => Promise<RenderedAudioRecord>): Promise<RenderedAudio> {
    const hit = await this.options.cache.get(key);
    if (hit && (await this.options.store.has(hit.sha256))) {
      this.options.logger.debug({ key, sha256: hit.sha256 }, 'render cache hit');
      return { ...hit, cached: true };
    }
    if (hit) this.options.logger.warn({ key, sha256: hit.sha256 }, 'cached render is missing from the audio store; rendering again');
    const record = await render();
    await this.options.cache.put(key, record);
    return { ...record, cached: false };
  }

  private async synthesizeAndStore(
    provider: TtsProvider,
    request: { text: string; voice: string; language: string; speakingRate: number; pitch: number; pauseMs: number },
  ): Promise<RenderedAudioRecord> {
    const started = performance.now();
    return withTempDir(this.options.tempDir, 'tts', async (workDir) => {
      const speech = await provider.synthesize(request);
      const synthesizedMs = elapsed(started);
      const speechPath = path.join(workDir, `speech.${speech.container}`);
      await writeFile(speechPath, speech.data);
      let normalized: NormalizedAudio;
      const voiceKind = `${provider.name}:${request.voice}:${request.speakingRate}:${request.pitch}`;
      try {
        normalized = await normalizeLoudness(speechPath, {
          workDir,
          encoding: this.encoding,
          displayName: `${provider.name} output`,
          gainCorrectionDb: this.gains.correctionFor(voiceKind),
        });
      } catch (error) {
        if (error instanceof UnsupportedAudioError) throw new TtsError(`${provider.name} produced no usable audio`, { cause: error });
        throw error;
      }
      if (normalized.gainCorrectionDb !== null) this.gains.remember(voiceKind, normalized.gainCorrectionDb);
      const stored = await this.store(normalized);
      this.options.logger.info(
        {
          provider: provider.name,
          voice: request.voice,
          speakingRate: request.speakingRate,
          pitch: request.pitch,
          characters: request.text.length,
          sha256: stored.sha256,
          durationMs: stored.durationMs,
          loudnessLufs: stored.loudnessLufs,
          truePeakDbtp: stored.truePeakDbtp,
          encodeAttempts: normalized.attempts,
          synthesizedMs,
          elapsedMs: elapsed(started),
        },
        'speech rendered',
      );
      return stored;
    });
  }

  private async store(normalized: NormalizedAudio): Promise<RenderedAudioRecord> {
    const { sha256, bytes } = await this.options.store.put(normalized.filePath, { mime: normalized.mime, extension: normalized.container });
    return {
      sha256,
      bytes,
      mime: normalized.mime,
      durationMs: normalized.durationMs,
      loudnessLufs: normalized.loudnessLufs,
      truePeakDbtp: normalized.truePeakDbtp,
    };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
