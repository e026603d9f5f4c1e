/**
 * The composer's spoken-duration estimate: counted the way the server will read the text (its own
 * normaliser says what is read), scaled by the speaking rate, and close to what espeak-ng renders.
 */
import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../server/speech/vietnamese-normalizer.js';
import { estimateSpeechMs, speechFeatures } from '../../../server/web/src/lib/duration-estimate.js';

const SAMPLE = 'Kính thưa bà con, 7 giờ sáng mai UBND xã tổ chức tiêm phòng cho gia súc.';

/** Spoken words of the server's reading: Vietnamese writes one syllable per word. */
const spokenSyllables = (text: string) =>
  normalizeVietnamese(text)
    .spokenText.split(/[\s,.;:!?()]+/)
    .filter((word) => /[\p{L}\d]/u.test(word)).length;

describe('speech features', () => {
  it.each([
    ['ngày 15/11/2026'],
    ['15/11/2026'],
    ['22/11'],
    ['7.500 đồng'],
    ['1.250.000'],
    ['1.005'],
    ['2026'],
    ['3,5%'],
    ['25°C'],
    ['10 km/h'],
    ['50-70mm'],
    ['7h30'],
    ['7 giờ'],
    ['0912345678'],
    ['UBND xã'],
    ['HĐND'],
    ['THÔNG BÁO'],
    [SAMPLE],
    ['Thông báo: ngày 15/11/2026, lúc 7h30, tại nhà văn hóa thôn, xã tổ chức họp dân. Đề nghị bà con đến đúng giờ.'],
    ['Giá lúa hôm nay là 7.500 đồng một ký, tăng 3,5% so với tuần trước.'],
  ])('counts %j as the syllables the server reads it as', (text) => {
    expect(speechFeatures(text).syllables).toBe(spokenSyllables(text));
  });

  it('counts the pauses between words, not those at the end or doubled', () => {
    expect(speechFeatures('Kính thưa bà con, chiều nay họp. Đề nghị đến đúng giờ!')).toEqual({ syllables: 12, minorPauses: 1, majorPauses: 1 });
    expect(speechFeatures('Họp... ngay!!!')).toEqual({ syllables: 2, minorPauses: 0, majorPauses: 1 });
    expect(speechFeatures('Thông báo\nHọp dân')).toEqual({ syllables: 4, minorPauses: 0, majorPauses: 1 });
  });

  it('reads a phone number in three groups, with a breath between them', () => {
    expect(speechFeatures('0912345678')).toEqual({ syllables: 10, minorPauses: 2, majorPauses: 0 });
  });
});

describe('estimated spoken duration', () => {
  it('is zero for a text with nothing to say', () => {
    for (const text of ['', '   ', '\n\n', '...', ', - ;']) expect(estimateSpeechMs(text)).toBe(0);
  });

  // Rendered by the test server's espeak-ng (`vi`) through POST /api/tts/preview: audio.durationMs.
  it.each([
    ['Kính thưa bà con, chiều nay xã tổ chức tiêm phòng cho gia súc.', 1, 4495],
    ['Kính thưa bà con, chiều nay xã tổ chức tiêm phòng cho gia súc.', 1.5, 2988],
    ['Kính thưa bà con, chiều nay xã tổ chức tiêm phòng cho gia súc.', 2, 2220],
    [SAMPLE, 0.75, 8303],
    [SAMPLE, 1, 6206],
    [SAMPLE, 2, 2998],
    ['Thông báo: ngày 15/11/2026, lúc 7h30, tại nhà văn hóa thôn, xã tổ chức họp dân. Đề nghị bà con đến đúng giờ.', 1, 11725],
    ['Giá lúa hôm nay là 7.500 đồng một ký, tăng 3,5% so với tuần trước.', 1, 6346],
    ['Mưa lớn từ 50-70mm. Đề nghị bà con không ra suối. Liên hệ 0912345678 khi cần hỗ trợ.', 0.75, 14434],
    ['Mưa lớn từ 50-70mm. Đề nghị bà con không ra suối. Liên hệ 0912345678 khi cần hỗ trợ.', 1, 10530],
    ['Họp.', 1, 974],
  ])('estimates %j at rate %d within 6 %% of the %d ms espeak-ng rendered', (text, rate, measuredMs) => {
    expect(Math.abs(estimateSpeechMs(text, rate) / measuredMs - 1)).toBeLessThan(0.06);
  });

  it('gets shorter as the speaking rate rises, about in proportion', () => {
    const [slow, normal, fast, fastest] = [0.75, 1, 2, 3].map((rate) => estimateSpeechMs(SAMPLE, rate));
    expect(slow).toBeGreaterThan(normal!);
    expect(normal).toBeGreaterThan(fast!);
    expect(fast).toBeGreaterThan(fastest!);
    expect(fast! / normal!).toBeGreaterThan(0.45);
    expect(fast! / normal!).toBeLessThan(0.55);
  });

  it('takes a rate that is not a positive number as the normal pace', () => {
    const normal = estimateSpeechMs(SAMPLE, 1);
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(estimateSpeechMs(SAMPLE, rate)).toBe(normal);
    expect(estimateSpeechMs(SAMPLE)).toBe(normal);
  });

  it('counts numbers as the words they are read as, not as one word each', () => {
    expect(estimateSpeechMs('Giá 1.250.000 đồng')).toBeGreaterThan(estimateSpeechMs('Giá một đồng') + 5 * 200);
    expect(estimateSpeechMs('Họp lúc 7h30')).toBe(estimateSpeechMs('Họp lúc bảy giờ ba mươi phút'));
  });

  it('grows linearly with the length of a long text', () => {
    const paragraph = `${SAMPLE} `;
    const one = estimateSpeechMs(paragraph);
    const ten = estimateSpeechMs(paragraph.repeat(10));
    expect(ten / one).toBeGreaterThan(9);
    expect(ten / one).toBeLessThan(11);
  });
});
