import { describe, expect, it } from 'vitest';
import { chunkText, DEFAULT_MAX_CHUNK_BYTES, utf8Bytes } from '../../../server/audio/tts/text-chunker.js';

const SENTENCES = [
  'Thông báo của Ủy ban nhân dân xã về việc phòng chống lụt bão.',
  'Mực nước trên các sông suối đang lên nhanh, có nguy cơ xảy ra lũ quét!',
  'Bà con có nghe rõ không?',
  'Đề nghị bà con không đi qua các ngầm tràn…',
  'Các hộ gia đình ven suối cần di chuyển tài sản lên nơi cao ráo;',
  'Lực lượng dân quân thường trực sẵn sàng ứng cứu.',
];
const BULLETIN = SENTENCES.join(' ');

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Round-trips through UTF-8: a chunk cut inside a character would come back with U+FFFD. */
const isWholeUtf8 = (chunk: string) => Buffer.from(chunk, 'utf8').toString('utf8') === chunk && !chunk.includes('\uFFFD') && !/[\uD800-\uDFFF]/.test(chunk.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

describe('chunkText', () => {
  it('counts Vietnamese in UTF-8 bytes, not characters', () => {
    expect(utf8Bytes('ệ')).toBe(3);
    expect(utf8Bytes('Việt')).toBe(6);
    const chunks = chunkText('ệ'.repeat(10), 10);
    expect(chunks).toEqual(['ệệệ', 'ệệệ', 'ệệệ', 'ệ']);
  });

  it('keeps every chunk within the byte limit and loses no text', () => {
    for (const maxBytes of [40, 64, 100, 150, 333]) {
      const chunks = chunkText(BULLETIN, maxBytes);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(utf8Bytes(chunk)).toBeLessThanOrEqual(maxBytes);
        expect(isWholeUtf8(chunk)).toBe(true);
      }
      expect(squash(chunks.join(' '))).toBe(squash(BULLETIN));
    }
  });

  it('cuts at sentence ends when whole sentences fit', () => {
    const maxBytes = utf8Bytes(`${SENTENCES[0]} ${SENTENCES[1]}`) + 5;
    const chunks = chunkText(BULLETIN, maxBytes);
    for (const chunk of chunks) expect(chunk).toMatch(/[.!?…;]$/u);
    expect(chunks[0]).toBe(`${SENTENCES[0]} ${SENTENCES[1]}`);
  });

  it('treats a line break as a boundary', () => {
    expect(chunkText('Lịch cắt điện\nThôn Một từ 8 giờ', 30)).toEqual(['Lịch cắt điện', 'Thôn Một từ 8 giờ']);
  });

  it('does not cut inside numbers or abbreviations', () => {
    const chunks = chunkText('Mưa 3.5 milimét tại TP.HCM hôm nay. Ngày mai trời nắng.', 45);
    expect(chunks).toEqual(['Mưa 3.5 milimét tại TP.HCM hôm nay.', 'Ngày mai trời nắng.']);
  });

  it('falls back to commas, then spaces, inside an over-long sentence', () => {
    const sentence = 'Đề nghị bà con không đi qua các ngầm tràn, không đánh bắt cá trên sông, chủ động di chuyển tài sản lên nơi cao ráo.';
    const byComma = chunkText(sentence, 60);
    expect(byComma[0]).toBe('Đề nghị bà con không đi qua các ngầm tràn,');
    const words = new Set(sentence.split(/\s+/));
    for (const chunk of chunkText(sentence, 20)) {
      for (const word of chunk.split(' ')) expect(words.has(word)).toBe(true);
    }
  });

  it('splits a single word only when it alone exceeds the limit, between characters', () => {
    const hugeWord = 'nghiêng'.repeat(20); // 160 bytes, no spaces
    const chunks = chunkText(`Xin chào ${hugeWord} bà con.`, 50);
    expect(chunks.every((chunk) => utf8Bytes(chunk) <= 50)).toBe(true);
    expect(chunks.every(isWholeUtf8)).toBe(true);
    expect(chunks.join('').replace(/\s/g, '')).toBe(`Xin chào ${hugeWord} bà con.`.replace(/\s/g, ''));
    // the ordinary words around it stay whole
    expect(chunks[0]!.startsWith('Xin chào')).toBe(true);
    expect(chunks.at(-1)!.endsWith('bà con.')).toBe(true);
  });

  it('never separates a combining mark from its letter', () => {
    const decomposed = 'e\u0323\u0302'.repeat(30); // "ệ" as e + dot below + circumflex: 5 bytes per letter
    const chunks = chunkText(decomposed, 12);
    for (const chunk of chunks) {
      expect(utf8Bytes(chunk)).toBeLessThanOrEqual(12);
      expect(chunk.startsWith('e')).toBe(true);
      expect(chunk.length % 3).toBe(0);
    }
    expect(chunks.join('')).toBe(decomposed);
  });

  it('stays under Google’s 5,000-byte limit by default', () => {
    let text = '';
    while (utf8Bytes(text) < 12_000) text += `${SENTENCES[text.length % SENTENCES.length]} `;
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) expect(utf8Bytes(chunk)).toBeLessThanOrEqual(DEFAULT_MAX_CHUNK_BYTES);
  });

  it('returns nothing for blank text and refuses limits below one character', () => {
    expect(chunkText('  \n\t ')).toEqual([]);
    expect(() => chunkText('abc', 3)).toThrow(RangeError);
  });
});
