import { describe, expect, it } from 'vitest';
import { createAudioRenderer, googleClientOptions } from '../../../server/audio/create-audio-renderer.js';
import { InMemoryRenderCache } from '../../../server/audio/in-memory-render-cache.js';

const tts = { provider: 'espeak', voice: undefined, pauseMs: 400, googleCredentials: undefined, googleEndpoint: undefined } as const;

describe('googleClientOptions', () => {
  it('speaks plain-HTTP REST without credentials to a configured endpoint', () => {
    const options = googleClientOptions({ ...tts, provider: 'google', googleEndpoint: 'tts-proxy.local:8085', googleCredentials: '/secret/key.json' });
    expect(options).toMatchObject({ fallback: true, protocol: 'http', apiEndpoint: 'tts-proxy.local', port: 8085 });
    expect(options).not.toHaveProperty('keyFilename');
    expect(typeof (options.authClient as unknown as { fetch: unknown }).fetch).toBe('function');
  });

  it('otherwise uses the key file, or Application Default Credentials', () => {
    expect(googleClientOptions({ ...tts, provider: 'google', googleCredentials: '/secret/key.json' })).toEqual({ keyFilename: '/secret/key.json' });
    expect(googleClientOptions({ ...tts, provider: 'google' })).toEqual({});
  });
});

describe('createAudioRenderer', () => {
  it('offers only espeak-ng unless Google is configured', async () => {
    const { renderer, store } = createAudioRenderer({
      config: { audio: { dir: '/nonexistent/audio', tmpDir: '/nonexistent/tmp', bitrateKbps: 48 }, tts },
      cache: new InMemoryRenderCache(),
      logger: { info() {}, warn() {}, error() {}, debug() {} },
      maxUploadSeconds: 1800,
    });
    expect(store.dir).toBe('/nonexistent/audio');
    await expect(renderer.renderText({ text: 'Xin chào', provider: 'google' })).rejects.toMatchObject({
      statusCode: 400,
      details: [{ field: 'provider', message: 'must be one of: espeak' }],
    });
  });
});
