/**
 * The codes in Vietnamese document numbers (Decree 30/2020/NĐ-CP on administrative documents):
 * "49/2024/NĐ-CP" is number 49 of 2024, a decree (NĐ) of the Government (CP).
 */

/** The kind of document; when the sentence already names it ("Nghị định 49/2024/NĐ-CP") it is not said twice. */
export const DOCUMENT_TYPE_CODES: ReadonlyMap<string, string> = new Map([
  ['NĐ', 'nghị định'],
  ['QĐ', 'quyết định'],
  ['TT', 'thông tư'],
  ['TTLT', 'thông tư liên tịch'],
  ['NQ', 'nghị quyết'],
  ['NQLT', 'nghị quyết liên tịch'],
  ['CT', 'chỉ thị'],
  ['KH', 'kế hoạch'],
  ['TB', 'thông báo'],
  ['CV', 'công văn'],
  ['HD', 'hướng dẫn'],
  ['BC', 'báo cáo'],
  ['TTr', 'tờ trình'],
  ['CĐ', 'công điện'],
  ['QC', 'quy chế'],
  ['QyĐ', 'quy định'],
  ['ĐA', 'đề án'],
  ['CTr', 'chương trình'],
  ['GM', 'giấy mời'],
  ['PL', 'pháp lệnh'],
  ['L', 'luật'],
]);

/** Who issued it. Codes not here are looked up among the abbreviations, then flagged. */
export const ISSUER_CODES: ReadonlyMap<string, string> = new Map([
  ['CP', 'chính phủ'],
  ['TTg', 'thủ tướng chính phủ'],
  ['QH', 'quốc hội'],
  ['UBTVQH', 'ủy ban thường vụ quốc hội'],
  ['CTN', 'chủ tịch nước'],
  ['TW', 'trung ương'],
  ['TƯ', 'trung ương'],
  ['UBND', 'ủy ban nhân dân'],
  ['HĐND', 'hội đồng nhân dân'],
  ['BTTTT', 'bộ thông tin và truyền thông'],
  ['BTC', 'bộ tài chính'],
  ['BYT', 'bộ y tế'],
  ['BGDĐT', 'bộ giáo dục và đào tạo'],
  ['BCA', 'bộ công an'],
  ['BQP', 'bộ quốc phòng'],
  ['BNNPTNT', 'bộ nông nghiệp và phát triển nông thôn'],
  ['BNNMT', 'bộ nông nghiệp và môi trường'],
  ['BTNMT', 'bộ tài nguyên và môi trường'],
  ['BLĐTBXH', 'bộ lao động thương binh và xã hội'],
  ['BNV', 'bộ nội vụ'],
  ['BTP', 'bộ tư pháp'],
  ['BXD', 'bộ xây dựng'],
  ['BGTVT', 'bộ giao thông vận tải'],
  ['BCT', 'bộ công thương'],
  ['BKHĐT', 'bộ kế hoạch và đầu tư'],
  ['BKHCN', 'bộ khoa học và công nghệ'],
  ['BVHTTDL', 'bộ văn hóa thể thao và du lịch'],
  ['NHNN', 'ngân hàng nhà nước'],
  ['VPCP', 'văn phòng chính phủ'],
  ['TANDTC', 'tòa án nhân dân tối cao'],
  ['VKSNDTC', 'viện kiểm sát nhân dân tối cao'],
  ['BCĐ', 'ban chỉ đạo'],
  ['BCH', 'ban chấp hành'],
  ['BTV', 'ban thường vụ'],
  ['TU', 'tỉnh ủy'],
  ['HU', 'huyện ủy'],
  ['ĐU', 'đảng ủy'],
  ['VP', 'văn phòng'],
  ['CA', 'công an'],
  ['BCHQS', 'ban chỉ huy quân sự'],
  ['MTTQ', 'mặt trận tổ quốc'],
  ['STC', 'sở tài chính'],
  ['SYT', 'sở y tế'],
  ['SGDĐT', 'sở giáo dục và đào tạo'],
  ['SNN', 'sở nông nghiệp'],
  ['STNMT', 'sở tài nguyên và môi trường'],
  ['BTG', 'ban tuyên giáo'],
  ['BDV', 'ban dân vận'],
  ['BTCTW', 'ban tổ chức trung ương'],
]);

/** "QH15": the fifteenth National Assembly. */
export const NUMBERED_ISSUER_WORD: ReadonlyMap<string, string> = new Map([['QH', 'khóa']]);

/** Words that name a document before its number: "Nghị định số 49/2024/NĐ-CP". */
export const DOCUMENT_TYPE_WORDS: readonly string[] = [
  'nghị định', 'quyết định', 'thông tư liên tịch', 'thông tư', 'nghị quyết liên tịch', 'nghị quyết', 'chỉ thị', 'công văn',
  'kế hoạch', 'thông báo', 'hướng dẫn', 'báo cáo', 'tờ trình', 'luật', 'bộ luật', 'pháp lệnh', 'công điện', 'văn bản',
  'quy định', 'quy chế', 'đề án', 'chương trình', 'giấy mời', 'hiến pháp',
];
