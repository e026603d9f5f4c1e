import { describe, expect, it } from 'vitest';
import type { Change, PronunciationEntry } from '../../../server/speech/vietnamese-normalizer.js';
import { DEFAULT_ABBREVIATIONS, normalizeVietnamese, pronunciationEntryProblem } from '../../../server/speech/vietnamese-normalizer.js';
import { applyChanges } from './apply-changes.js';

const spoken = (text: string) => normalizeVietnamese(text).spokenText;
const changesOf = (text: string) => normalizeVietnamese(text).changes.map(({ from, to, rule, index }: Change) => ({ from, to, rule, index }));

describe('the readings the brief asks for', () => {
  it.each([
    ['1.250.000', 'Một triệu hai trăm năm mươi nghìn'],
    ['giá 3,5 triệu', 'giá ba phẩy năm triệu'],
    ['có 1.005 hộ', 'có một nghìn không trăm linh năm hộ'],
    ['hạn 22/11/2026', 'hạn ngày hai mươi hai tháng mười một năm hai nghìn không trăm hai mươi sáu'],
    ['họp ngày 22-11', 'họp ngày hai mươi hai tháng mười một'],
    ['tháng 4', 'tháng tư'],
    ['thứ 2, lần thứ 1, thứ 4', 'thứ hai, lần thứ nhất, thứ tư'],
    ['nghỉ 5-7 ngày', 'nghỉ năm đến bảy ngày'],
    ['từ 20-25°C', 'từ hai mươi đến hai mươi lăm độ xê'],
    ['giá 50.000đ/cp', 'giá năm mươi nghìn đồng một cổ phiếu'],
    ['mỗi suất 50.000 đồng/người', 'mỗi suất năm mươi nghìn đồng một người'],
    ['còn 1.5 và 1.500', 'còn một chấm năm và một nghìn năm trăm'],
    ['ngày 2/9 có 2/3 số hộ', 'ngày hai tháng chín có hai phần ba số hộ'],
    ['gọi 0912.345.678 hoặc 0912 345 678', 'gọi không chín một hai, ba bốn năm, sáu bảy tám hoặc không chín một hai, ba bốn năm, sáu bảy tám'],
    ['không phải 912.345.678', 'không phải chín trăm mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám'],
    ['lúc 6h30, 06:30, 7h và 14h15\'', 'lúc sáu giờ ba mươi phút, sáu giờ ba mươi phút, bảy giờ và mười bốn giờ mười lăm phút'],
    ['tăng 15% và 12,5%', 'tăng mười lăm phần trăm và mười hai phẩy năm phần trăm'],
    ['Nghị định 49/2024/NĐ-CP', 'Nghị định số bốn mươi chín năm hai nghìn không trăm hai mươi tư của chính phủ'],
    ['UBND xã', 'Ủy ban nhân dân xã'],
  ])('%s', (input, expected) => {
    expect(spoken(input)).toBe(expected);
  });

  it('numbers list items only at the start of a line', () => {
    expect(spoken('I. Tình hình\n1. Mưa lũ\nb) Sạt lở')).toBe('Phần một. Tình hình.\nThứ nhất, Mưa lũ.\nbê, Sạt lở');
    expect(spoken('Gồm 1. và 2. như trên')).toBe('Gồm một. và hai. như trên');
  });
});

describe('the change list', () => {
  it('records every rewrite at its place in the input, with the rule that made it', () => {
    expect(changesOf('Giá 50.000đ/cp, gọi 114.')).toEqual([
      { from: '50.000đ', to: 'năm mươi nghìn đồng', rule: 'money', index: 4 },
      { from: '/cp', to: ' một cổ phiếu', rule: 'per-unit', index: 11 },
      { from: '114', to: 'một một bốn', rule: 'phone', index: 20 },
    ]);
    expect(changesOf('I. Tình hình\n- Mưa 50-70mm\n')).toEqual([
      { from: 'I.', to: 'Phần một.', rule: 'list.roman', index: 0 },
      { from: '\n', to: '.\n', rule: 'pause.line-end', index: 12 },
      { from: '- ', to: '', rule: 'list.bullet', index: 13 },
      { from: '50-70mm', to: 'năm mươi đến bảy mươi mi li mét', rule: 'range', index: 19 },
    ]);
    expect(changesOf('**Khẩn**: UBND xã họp lúc 7h30; Điều 9, khoản 2.')).toEqual([
      { from: '**', to: '', rule: 'symbol.dropped', index: 0 },
      { from: '**', to: '', rule: 'symbol.dropped', index: 6 },
      { from: ':', to: ',', rule: 'pause', index: 8 },
      { from: 'UBND', to: 'ủy ban nhân dân', rule: 'abbreviation', index: 10 },
      { from: '7h30', to: 'bảy giờ ba mươi phút', rule: 'time', index: 26 },
      { from: ';', to: ',', rule: 'pause', index: 30 },
      { from: '9', to: 'chín', rule: 'number', index: 37 },
      { from: '2', to: 'hai', rule: 'number', index: 46 },
    ]);
    expect(changesOf('Theo Quyết định số 18/2021/QĐ-TTg ngày 22/4/2021')).toEqual([
      { from: '18/2021/QĐ-TTg', to: 'mười tám năm hai nghìn không trăm hai mươi mốt của thủ tướng chính phủ', rule: 'legal-reference', index: 19 },
      { from: '22/4/2021', to: 'hai mươi hai tháng tư năm hai nghìn không trăm hai mươi mốt', rule: 'date', index: 39 },
    ]);
  });

  it('gives back the spoken text when applied to the input', () => {
    for (const text of ['Giá 50.000đ/cp, gọi 114.', 'TP.HCM và UB\u200BND', 'Tho\u0302ng ba\u0301o 2/3 số hộ', '\uFEFFI. A\n- b 5-7 ngày\n']) {
      const result = normalizeVietnamese(text);
      expect(applyChanges(text, result.changes)).toBe(result.spokenText);
    }
  });

  it('is empty for text that needs no change', () => {
    expect(normalizeVietnamese('Bà con chủ động phòng tránh.')).toEqual({ spokenText: 'Bà con chủ động phòng tránh.', changes: [], flagged: [] });
    expect(normalizeVietnamese('')).toEqual({ spokenText: '', changes: [], flagged: [] });
  });
});

describe('flags', () => {
  it('keeps what it cannot read and says where it is', () => {
    const result = normalizeVietnamese('Mã A1B2 gửi XYZQ, xem §3');
    expect(result.spokenText).toBe('Mã A1B2 gửi XYZQ, xem §ba');
    expect(result.flagged.map(({ token, index, code }) => ({ token, index, code }))).toEqual([
      { token: 'A1B2', index: 3, code: 'mixed-letters-digits' },
      { token: 'XYZQ', index: 12, code: 'unknown-abbreviation' },
      { token: '§', index: 22, code: 'symbol' },
    ]);
  });

  it('flags a reading it had to guess', () => {
    expect(normalizeVietnamese('còn 1.5 tấn').flagged.map((flag) => flag.code)).toEqual(['ambiguous-number']);
    expect(normalizeVietnamese('hỗ trợ 1,500 đồng').flagged.map((flag) => flag.code)).toEqual(['ambiguous-number']);
    expect(normalizeVietnamese('nghỉ 1/5').flagged.map((flag) => flag.code)).toEqual(['ambiguous-date']);
    expect(normalizeVietnamese('nghỉ 30/4').flagged).toEqual([]);
    expect(normalizeVietnamese('lễ 1/5').flagged).toEqual([]);
    expect(normalizeVietnamese('hạn 31/2/2026').flagged.map((flag) => flag.code)).toEqual(['invalid-date']);
  });

  it('keeps a number too long to read as written when a unit, a sign or a range follows it, and reads only the rest', () => {
    // Found by the property test: the unit change used to carry the kept digits into the spoken text.
    const long = '1234567890123456789012345678901';
    for (const text of [`số ${long}°;2345.`, `nhiệt độ -${long}°C`, `giá $${long}`, `từ 5-${long} km`]) {
      const result = normalizeVietnamese(text);
      expect(result.flagged.map((flag) => flag.code)).toContain('number-too-long');
      for (const change of result.changes) expect(change.to, `${text}: ${change.from} → ${change.to}`).not.toMatch(/\d/);
    }
    expect(normalizeVietnamese(`số ${long}°`).spokenText).toBe(`số ${long} độ`);
  });

  it('gives each reason in words an official can act on', () => {
    for (const flag of normalizeVietnamese('A1B2 XYZQ 1.5 § dichvucong.gov.vn').flagged) expect(flag.reason.length).toBeGreaterThan(20);
  });
});

describe('text as editors send it', () => {
  it('composes decomposed Vietnamese and records it', () => {
    const result = normalizeVietnamese('Tho\u0302ng ba\u0301o');
    expect(result.spokenText).toBe('Thông báo');
    expect(result.changes.map((change) => change.rule)).toEqual(['unicode.compose', 'unicode.compose']);
  });

  it('reads an abbreviation split by an invisible character as the one change it is', () => {
    expect(changesOf('UB\u200BND xã')).toEqual([{ from: 'UB\u200BND', to: 'Ủy ban nhân dân', rule: 'abbreviation', index: 0 }]);
  });

  it('removes unpaired surrogates, which no engine accepts, and flags them', () => {
    const result = normalizeVietnamese('xã\uD800 An');
    expect(result.spokenText).toBe('xã An');
    expect(result.flagged.map(({ index, code }) => ({ index, code }))).toEqual([{ index: 2, code: 'invalid-character' }]);
  });

  it('keeps a space where a dropped mark stood between two words', () => {
    expect(spoken('UB*ND')).toBe('UB ND');
    expect(spoken('Bão🌀số 3')).toBe('Bão số ba');
  });
});

describe('abbreviations', () => {
  it('include the usual commune ones', () => {
    const expected: Record<string, string> = {
      UBND: 'ủy ban nhân dân',
      HĐND: 'hội đồng nhân dân',
      MTTQ: 'mặt trận tổ quốc',
      PCCC: 'phòng cháy chữa cháy',
      PCTT: 'phòng chống thiên tai',
      THCS: 'trung học cơ sở',
      THPT: 'trung học phổ thông',
      BHYT: 'bảo hiểm y tế',
      BHXH: 'bảo hiểm xã hội',
      CCCD: 'căn cước công dân',
      CSGT: 'cảnh sát giao thông',
      CAND: 'công an nhân dân',
      QĐND: 'quân đội nhân dân',
      TW: 'trung ương',
      TP: 'thành phố',
      TT: 'thị trấn',
      KT: 'kinh tế',
      ĐT: 'điện thoại',
    };
    for (const [key, reading] of Object.entries(expected)) expect(DEFAULT_ABBREVIATIONS.get(key), key).toBe(reading);
    expect(DEFAULT_ABBREVIATIONS.has('BCH')).toBe(true);
  });

  it('never expand to text another abbreviation would expand again', () => {
    for (const [key, reading] of DEFAULT_ABBREVIATIONS) expect(spoken(reading), key).toBe(reading);
  });

  it('match whole words, case-sensitively', () => {
    expect(spoken('UBNDX và ubnd')).toBe('UBNDX và ubnd');
  });

  it('take a dot only before a name', () => {
    expect(spoken('TP. Huế, TP.HCM')).toBe('Thành phố Huế, thành phố Hồ Chí Minh');
    expect(spoken('về TP.\nSau đó')).toBe('về thành phố.\nSau đó');
    expect(spoken('KT. CHỦ TỊCH và KT-XH')).toBe('Ký thay CHỦ TỊCH và kinh tế xã hội');
  });

  it('can be extended and overridden by the caller', () => {
    const abbreviations = new Map([
      ['HTX', 'hợp tác xã nông nghiệp'],
      ['TT', 'trung tâm'],
      ['KTX', 'ký túc xá'],
    ]);
    expect(normalizeVietnamese('HTX, TT và KTX cùng UBND', { abbreviations }).spokenText).toBe('Hợp tác xã nông nghiệp, trung tâm và ký túc xá cùng ủy ban nhân dân');
  });

  it('in a document number mean the document, not the place', () => {
    expect(spoken('Thông tư 10/2023/TT-BTTTT ở TT')).toBe('Thông tư số mười năm hai nghìn không trăm hai mươi ba của bộ thông tin và truyền thông ở thị trấn');
  });
});

describe('the pronunciation dictionary', () => {
  const dictionary: readonly PronunciationEntry[] = [
    { match: 'Krông Búk', spoken: 'Krông Búc', kind: 'word' },
    { match: 'UBND', spoken: 'ủy ban', kind: 'word' },
    { match: 'Ê Đê', spoken: 'Ê-đê', kind: 'word' },
    { match: '/QL(\\d+)/i', spoken: 'quốc lộ $1', kind: 'pattern' },
    { match: 'Búk', spoken: 'bút', kind: 'word' },
  ];

  it('wins over the built-in rules', () => {
    expect(normalizeVietnamese('UBND xã', { dictionary }).spokenText).toBe('Ủy ban xã');
  });

  it('matches words whole and in any case, across spacing', () => {
    expect(normalizeVietnamese('huyện KRÔNG BÚK, krông  búk; người Ê Đê; Búkk', { dictionary }).spokenText).toBe('huyện Krông Búc, Krông Búc, người Ê-đê, Búkk');
  });

  it('prefers the longer match, and names the change after the dictionary', () => {
    const result = normalizeVietnamese('Krông Búk', { dictionary });
    expect(result.spokenText).toBe('Krông Búc');
    expect(result.changes).toEqual([{ from: 'Krông Búk', to: 'Krông Búc', rule: 'dictionary', index: 0 }]);
  });

  it('substitutes pattern groups, and digits in a reading are read in turn', () => {
    const result = normalizeVietnamese('Tuyến QL14 và ql1', { dictionary });
    expect(result.spokenText).toBe('Tuyến quốc lộ mười bốn và quốc lộ một');
    expect(result.changes.map((change) => change.rule)).toEqual(['dictionary', 'dictionary']);
  });

  it('reports entries it cannot use instead of failing', () => {
    const broken: readonly PronunciationEntry[] = [
      { match: '([', spoken: 'x', kind: 'pattern' },
      { match: 'a*', spoken: 'x', kind: 'pattern' },
      { match: '  ', spoken: 'x', kind: 'word' },
    ];
    const result = normalizeVietnamese('UBND', { dictionary: broken });
    expect(result.spokenText).toBe('Ủy ban nhân dân');
    expect(result.flagged.map(({ token, index, code }) => ({ token, index, code }))).toEqual([
      { token: '([', index: -1, code: 'dictionary-entry' },
      { token: 'a*', index: -1, code: 'dictionary-entry' },
      { token: '  ', index: -1, code: 'dictionary-entry' },
    ]);
    expect(pronunciationEntryProblem({ match: '([', spoken: 'x', kind: 'pattern' })).toMatch(/not a valid regular expression/);
    expect(pronunciationEntryProblem({ match: 'Krông Búk', spoken: 'Krông Búc', kind: 'word' })).toBeNull();
  });
});

describe('dialect', () => {
  it('says ngàn and lẻ when asked for the southern variant', () => {
    expect(normalizeVietnamese('có 1.005 hộ, 105 ha', { dialect: 'southern' }).spokenText).toBe('có một ngàn không trăm lẻ năm hộ, một trăm lẻ năm héc ta');
  });
});
