/** Builds the audio services from the server's configuration (called from server/main.ts). */
import type { Config } from '../config.js';
import { AudioRenderer, type AudioLogger, type RenderCache } from './audio-renderer.js';
import { AudioStore } from './audio-store.js';
import { DEFAULT_ENCODING, type EncodingSettings } from './encoding-settings.js';
import { EspeakProvider } from './tts/espeak-provider.js';
import { createPassThroughAuthClient } from './tts/google-passthrough-auth.js';
import { GoogleProvider, type GoogleClientOptions } from './tts/google-provider.js';
import type { TtsProvider } from './tts/tts-provider.js';

export interface AudioServices {
  readonly renderer: AudioRenderer;
  readonly store: AudioStore;
}

export interface AudioServiceDeps {
  readonly config: Pick<Config, 'audio' | 'tts'>;
  readonly cache: RenderCache;
  readonly logger: AudioLogger;
  /** Longest upload accepted, in seconds. */
  readonly maxUploadSeconds: number;
}

export function createAudioRenderer({ config, cache, logger, maxUploadSeconds }: AudioServiceDeps): AudioServices {
  const { tts } = config;
  const voiceFor = (provider: 'espeak' | 'google') => (tts.provider === provider ? tts.voice : undefined);
  // espeak-ng is always there: offline, and the fallback a request may name explicitly.
  const providers: Record<string, TtsProvider> = { espeak: new EspeakProvider({ defaultVoice: voiceFor('espeak') }) };
  if (tts.provider === 'google' || tts.googleEndpoint || tts.googleCredentials) {
    providers.google = new GoogleProvider({ clientOptions: googleClientOptions(tts), defaultVoice: voiceFor('google') });
  }
  const encoding: EncodingSettings = { ...DEFAULT_ENCODING, bitrateKbps: config.audio.bitrateKbps };
  const store = new AudioStore(config.audio.dir);
  const renderer = new AudioRenderer({
    providers,
    defaultProvider: tts.provider,
    store,
    cache,
    encoding,
    tempDir: config.audio.tmpDir,
    maxUploadSeconds,
    pauseMs: tts.pauseMs,
    logger,
  });
  return { renderer, store };
}

export function googleClientOptions(tts: Config['tts']): GoogleClientOptions {
  if (tts.googleEndpoint) {
    const [host, port] = tts.googleEndpoint.split(':');
    // Plain HTTP/1.1 REST with no credentials: a test stub, or a proxy that adds them itself.
    return { fallback: true, protocol: 'http', apiEndpoint: host, port: Number(port), authClient: createPassThroughAuthClient() };
  }
  // Otherwise gRPC with Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or the metadata server).
  return tts.googleCredentials ? { keyFilename: tts.googleCredentials } : {};
}
