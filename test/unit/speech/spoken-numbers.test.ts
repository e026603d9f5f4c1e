import { describe, expect, it } from 'vitest';
import { readCardinal, readDecimalTail, readDigits, readMonth, readOrdinal } from '../../../server/speech/spoken-numbers.js';
import { isVietnameseSyllable, letterName, romanValue } from '../../../server/speech/vietnamese-letters.js';

describe('readCardinal', () => {
  it.each([
    ['0', 'không'],
    ['1', 'một'],
    ['4', 'bốn'],
    ['5', 'năm'],
    ['10', 'mười'],
    ['11', 'mười một'],
    ['14', 'mười bốn'],
    ['15', 'mười lăm'],
    ['20', 'hai mươi'],
    ['21', 'hai mươi mốt'],
    ['24', 'hai mươi tư'],
    ['25', 'hai mươi lăm'],
    ['55', 'năm mươi lăm'],
    ['100', 'một trăm'],
    ['101', 'một trăm linh một'],
    ['104', 'một trăm linh bốn'],
    ['105', 'một trăm linh năm'],
    ['110', 'một trăm mười'],
    ['115', 'một trăm mười lăm'],
    ['121', 'một trăm hai mươi mốt'],
    ['1000', 'một nghìn'],
    ['1001', 'một nghìn không trăm linh một'],
    ['1005', 'một nghìn không trăm linh năm'],
    ['1010', 'một nghìn không trăm mười'],
    ['1050', 'một nghìn không trăm năm mươi'],
    ['1100', 'một nghìn một trăm'],
    ['2024', 'hai nghìn không trăm hai mươi tư'],
    ['10000', 'mười nghìn'],
    ['21000', 'hai mươi mốt nghìn'],
    ['1250000', 'một triệu hai trăm năm mươi nghìn'],
    ['1000005', 'một triệu không trăm linh năm'],
    ['1005000', 'một triệu không trăm linh năm nghìn'],
    ['1000000000', 'một tỷ'],
    ['1000000005', 'một tỷ không trăm linh năm'],
    ['2000050000', 'hai tỷ không trăm năm mươi nghìn'],
    ['1500000000000', 'một nghìn năm trăm tỷ'],
    ['1000500000000', 'một nghìn tỷ năm trăm triệu'],
    ['5000000000000000', 'năm triệu tỷ'],
    ['007', 'bảy'],
  ])('%s → %s', (digits, spoken) => {
    expect(readCardinal(digits)).toBe(spoken);
  });

  it('says "ngàn" and "lẻ" in the southern variant', () => {
    expect(readCardinal('1005', 'southern')).toBe('một ngàn không trăm lẻ năm');
    expect(readCardinal('2024', 'southern')).toBe('hai ngàn không trăm hai mươi tư');
  });
});

describe('readDecimalTail', () => {
  it.each([
    ['5', 'năm'],
    ['05', 'không năm'],
    ['25', 'hai mươi lăm'],
    ['125', 'một trăm hai mươi lăm'],
    ['00', 'không không'],
    ['12345', 'một hai ba bốn năm'],
  ])('%s → %s', (digits, spoken) => {
    expect(readDecimalTail(digits)).toBe(spoken);
  });
});

describe('digits, ordinals and months', () => {
  it('reads digits one by one', () => {
    expect(readDigits('0912')).toBe('không chín một hai');
  });

  it('says nhất and tư where Vietnamese does', () => {
    expect(readOrdinal('1')).toBe('nhất');
    expect(readOrdinal('2')).toBe('hai');
    expect(readOrdinal('4')).toBe('tư');
    expect(readOrdinal('14')).toBe('mười bốn');
    expect(readMonth(4)).toBe('tư');
    expect(readMonth(1)).toBe('một');
    expect(readMonth(12)).toBe('mười hai');
  });
});

describe('letters', () => {
  it('names letters as they are spelt aloud', () => {
    expect(['a', 'b', 'c', 'd', 'đ', 'B'].map(letterName)).toEqual(['a', 'bê', 'xê', 'dê', 'đê', 'bê']);
  });

  it('tells headings in capitals from abbreviations', () => {
    for (const word of ['THÔNG', 'BÁO', 'KHẨN', 'NGHIÊNG', 'QUYẾT', 'NGƯỜI', 'KHUYẾN', 'GIẤY', 'XÃ', 'Y']) expect(isVietnameseSyllable(word), word).toBe(true);
    for (const word of ['UBND', 'XYZQ', 'PCCC', 'HĐND', 'TW', 'BHYT']) expect(isVietnameseSyllable(word), word).toBe(false);
  });

  it('reads well-formed Roman numerals only', () => {
    expect(['I', 'IV', 'IX', 'XIV', 'XXI', 'MCMXLV'].map(romanValue)).toEqual([1, 4, 9, 14, 21, 1945]);
    expect(['IIII', 'VX', 'ABC', ''].map(romanValue)).toEqual([null, null, null, null]);
  });
});
