/**
 * The audio service the rest of the server uses: Vietnamese text → speech → normalised, encoded,
 * content-addressed file; or an upload → the same. Renders are cached by what shapes them and
 * identical requests already in flight share one render, so nothing is synthesised twice.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validationError } from '../errors.js';
import { UnsupportedAudioError } from './audio-errors.js';
import type { AudioStore } from './audio-store.js';
import { DEFAULT_ENCODING, type EncodingSettings } from './encoding-settings.js';
import { normalizeLoudness, type NormalizedAudio } from './loudness-normalizer.js';
import { canonicalLanguage, canonicalText, renderCacheKey } from './render-cache-key.js';
import { withTempDir } from './temp-workspace.js';
import { DEFAULT_LANGUAGE, TtsError, type TtsProvider } from './tts/tts-provider.js';
import { probeUpload } from './upload-probe.js';

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

/** Render cache key → the audio it produced. The server implements it with Prisma (server/db/prisma-render-cache.ts). */
export interface RenderCache {
  get(key: string): Promise<RenderedAudioRecord | null>;
  put(key: string, audio: RenderedAudioRecord): Promise<void>;
}

export interface RenderTextRequest {
  readonly text: string;
  readonly voice?: string | undefined;
  /** BCP 47; `vi-VN` when absent. */
  readonly language?: string | undefined;
  readonly speakingRate?: number | undefined;
  /** A key of `providers`; the default provider when absent. */
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
  readonly store: Pick<AudioStore, 'put' | 'has'>;
  readonly cache: RenderCache;
  readonly encoding?: EncodingSettings;
  /** Parent of each job's scratch directory. */
  readonly tempDir: string;
  /** Longest upload accepted (UPLOAD_MAX_SECONDS). */
  readonly maxUploadSeconds: number;
  readonly logger: AudioLogger;
}

// Google accepts 0.25–4.0; espeak-ng's word rate clamps beyond roughly that range anyway.
const SPEAKING_RATE = { min: 0.25, max: 4 };

export class AudioRenderer {
  private readonly encoding: EncodingSettings;
  private readonly inFlight = new Map<string, Promise<RenderedAudio>>();

  constructor(private readonly options: AudioRendererOptions) {
    this.encoding = options.encoding ?? DEFAULT_ENCODING;
  }

  async renderText(request: RenderTextRequest): Promise<RenderedAudio> {
    const providerName = request.provider ?? this.options.defaultProvider;
    const provider = this.options.providers[providerName];
    if (!provider) {
      const known = Object.keys(this.options.providers).join(', ');
      throw validationError(`provider: unknown TTS provider "${providerName}" (configured: ${known})`, [
        { field: 'provider', message: `must be one of: ${known}` },
      ]);
    }
    const text = canonicalText(request.text);
    if (!text) throw validationError('text: there is nothing to speak', [{ field: 'text', message: 'there is nothing to speak' }]);
    const speakingRate = request.speakingRate ?? 1;
    if (!Number.isFinite(speakingRate) || speakingRate < SPEAKING_RATE.min || speakingRate > SPEAKING_RATE.max) {
      const message = `must be between ${SPEAKING_RATE.min} and ${SPEAKING_RATE.max}`;
      throw validationError(`speakingRate: ${message}`, [{ field: 'speakingRate', message }]);
    }
    const voice = request.voice ?? provider.defaultVoice;
    const language = canonicalLanguage(request.language ?? DEFAULT_LANGUAGE);
    const key = renderCacheKey({ provider: provider.name, voice, language, speakingRate, text, encoding: this.encoding });

    const running = this.inFlight.get(key);
    if (running) return { ...(await running), cached: true };
    const render = this.cachedOrRendered(key, () => this.synthesizeAndStore(provider, { text, voice, language, speakingRate }));
    this.inFlight.set(key, render);
    try {
      return await render;
    } finally {
      this.inFlight.delete(key);
    }
  }

  async normalizeUpload(filePath: string, originalName: string): Promise<RenderedAudio> {
    const started = performance.now();
    const maxSeconds = this.options.maxUploadSeconds;
    await probeUpload(filePath, { displayName: originalName, maxSeconds });
    const stored = await withTempDir(this.options.tempDir, 'upload', async (workDir) =>
      this.store(await normalizeLoudness(filePath, { workDir, encoding: this.encoding, displayName: originalName, maxDurationSeconds: maxSeconds })),
    );
    this.options.logger.info({ originalName, sha256: stored.sha256, durationMs: stored.durationMs, loudnessLufs: stored.loudnessLufs, elapsedMs: elapsed(started) }, 'upload normalised');
    return { ...stored, cached: false };
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
    request: { text: string; voice: string; language: string; speakingRate: number },
  ): Promise<RenderedAudioRecord> {
    const started = performance.now();
    return withTempDir(this.options.tempDir, 'tts', async (workDir) => {
      const speech = await provider.synthesize(request);
      const synthesizedMs = elapsed(started);
      const speechPath = path.join(workDir, `speech.${speech.container}`);
      await writeFile(speechPath, speech.data);
      let normalized: NormalizedAudio;
      try {
        normalized = await normalizeLoudness(speechPath, { workDir, encoding: this.encoding, displayName: `${provider.name} output` });
      } catch (error) {
        if (error instanceof UnsupportedAudioError) throw new TtsError(`${provider.name} produced no usable audio`, { cause: error });
        throw error;
      }
      const stored = await this.store(normalized);
      this.options.logger.info(
        {
          provider: provider.name,
          voice: request.voice,
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
