import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING } from '../../../server/audio/encoding-settings.js';
import { canonicalJson, canonicalText, renderCacheKey, sequenceCacheKey, toneCacheKey, type RenderKeyInput } from '../../../server/audio/render-cache-key.js';

const base: RenderKeyInput = {
  provider: 'espeak',
  voice: 'vi',
  language: 'vi-VN',
  speakingRate: 1,
  pitch: 0,
  pauseMs: 400,
  text: 'Thông báo của Ủy ban nhân dân xã.',
  encoding: DEFAULT_ENCODING,
};

describe('renderCacheKey', () => {
  it('is a stable sha256 of the inputs', () => {
    const key = renderCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(renderCacheKey({ ...base })).toBe(key);
    expect(renderCacheKey({ ...base, encoding: { ...DEFAULT_ENCODING } })).toBe(key);
  });

  it('changes with anything that changes the audio', () => {
    const key = renderCacheKey(base);
    const variants: Partial<RenderKeyInput>[] = [
      { provider: 'google' },
      { voice: 'vi-vn-x-south' },
      { language: 'en-US' },
      { speakingRate: 1.1 },
      { pitch: -2 },
      { pauseMs: 600 },
      { text: 'Thông báo của Ủy ban nhân dân huyện.' },
      { encoding: { ...DEFAULT_ENCODING, bitrateKbps: 48 } },
      { encoding: { ...DEFAULT_ENCODING, format: 'opus' } },
      { encoding: { ...DEFAULT_ENCODING, targetLufs: -18 } },
    ];
    const keys = variants.map((variant) => renderCacheKey({ ...base, ...variant }));
    for (const other of keys) expect(other).not.toBe(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('treats precomposed and decomposed Vietnamese as the same text (NFC)', () => {
    const decomposed = base.text.normalize('NFD');
    expect(decomposed).not.toBe(base.text);
    expect(renderCacheKey({ ...base, text: decomposed })).toBe(renderCacheKey(base));
  });

  it('ignores differences in spacing and in the case of the language tag', () => {
    const spaced = `  Thông   báo của\tỦy ban\u00a0nhân dân xã.  `;
    expect(renderCacheKey({ ...base, text: spaced })).toBe(renderCacheKey(base));
    expect(renderCacheKey({ ...base, language: 'vi-vn' })).toBe(renderCacheKey(base));
  });

  it('keeps a line break, where engines pause, as one newline', () => {
    expect(canonicalText('Lịch cắt điện  \r\n\r\n   Thôn Một')).toBe('Lịch cắt điện\nThôn Một');
    expect(renderCacheKey({ ...base, text: 'A\nB' })).not.toBe(renderCacheKey({ ...base, text: 'A B' }));
  });
});

describe('sequenceCacheKey and toneCacheKey', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);

  it('depend on the parts in order, the pause and the encoding', () => {
    const key = sequenceCacheKey({ parts: [a, b], pauseMs: 400, encoding: DEFAULT_ENCODING });
    expect(sequenceCacheKey({ parts: [a, b], pauseMs: 400, encoding: { ...DEFAULT_ENCODING } })).toBe(key);
    const others = [
      sequenceCacheKey({ parts: [b, a], pauseMs: 400, encoding: DEFAULT_ENCODING }),
      sequenceCacheKey({ parts: [a, b], pauseMs: 300, encoding: DEFAULT_ENCODING }),
      sequenceCacheKey({ parts: [a, b], pauseMs: 400, encoding: { ...DEFAULT_ENCODING, bitrateKbps: 48 } }),
      sequenceCacheKey({ parts: [a, b, a], pauseMs: 400, encoding: DEFAULT_ENCODING }),
    ];
    expect(new Set([key, ...others]).size).toBe(5);
  });

  it('never collide with a text render or with each other', () => {
    const tone = toneCacheKey({ name: 'chime', notes: [] }, DEFAULT_ENCODING);
    expect(toneCacheKey({ name: 'chime', notes: [{ hz: 440 }] }, DEFAULT_ENCODING)).not.toBe(tone);
    expect(new Set([tone, sequenceCacheKey({ parts: [], pauseMs: 0, encoding: DEFAULT_ENCODING }), renderCacheKey(base)]).size).toBe(3);
  });
});

describe('canonicalJson', () => {
  it('orders keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});
