import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../server/speech/vietnamese-normalizer.js';

describe('pronunciation entries', () => {
  it('read what was written once, even when the reading contains the word itself', () => {
    const result = normalizeVietnamese('Bà con Xóm Khang họp lúc 7h.', { dictionary: [{ match: 'Khang', spoken: 'Khang Thượng', kind: 'word' }] });
    expect(result.spokenText).toBe('Bà con Xóm Khang Thượng họp lúc bảy giờ.');
    expect(result.changes.filter((c) => c.rule === 'dictionary')).toEqual([{ from: 'Khang', to: 'Khang Thượng', rule: 'dictionary', index: 11 }]);
  });

  it('win over the built-in abbreviations', () => {
    const result = normalizeVietnamese('Họp BCH thôn.', { dictionary: [{ match: 'BCH', spoken: 'ban chỉ huy', kind: 'word' }] });
    expect(result.spokenText).toContain('ban chỉ huy');
  });
});
