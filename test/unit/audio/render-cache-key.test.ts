import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING } from '../../../server/audio/encoding-settings.js';
import { canonicalJson, canonicalText, renderCacheKey, type RenderKeyInput } from '../../../server/audio/render-cache-key.js';

const base: RenderKeyInput = {
  provider: 'espeak',
  voice: 'vi',
  language: 'vi-VN',
  speakingRate: 1,
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

describe('canonicalJson', () => {
  it('orders keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});
