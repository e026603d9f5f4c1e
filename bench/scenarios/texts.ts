/**
 * Vietnamese bulletins the scenarios render: the kind of text a commune reads out, long enough to
 * give the spoken lengths the targets name (a 30-second emergency message, a 60-second bulletin).
 */

const SENTENCES = [
  'Kính thưa bà con nhân dân trong xã.',
  'Thực hiện kế hoạch của Ủy ban nhân dân huyện về phòng chống thiên tai năm nay, xã đã kiện toàn Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn.',
  'Đề nghị các hộ gia đình ở ven suối, chân đồi chủ động gia cố nhà cửa, khơi thông cống rãnh, chuẩn bị lương thực, nước uống và đèn pin.',
  'Khi có mưa lớn kéo dài, bà con tuyệt đối không đi qua ngầm, tràn, không vớt củi, đánh bắt cá trên sông suối.',
  'Các thôn trưởng rà soát danh sách người già, trẻ nhỏ, người khuyết tật để kịp thời hỗ trợ sơ tán khi có lệnh.',
  'Nhà văn hóa xã và trường trung học cơ sở là điểm sơ tán tập trung; lực lượng dân quân trực hai mươi bốn trên hai mươi bốn giờ.',
  'Mọi thông tin cần hỗ trợ, bà con liên hệ số điện thoại trực ban của xã hoặc báo ngay cho thôn trưởng nơi mình sinh sống.',
  'Ban Chỉ huy đề nghị bà con thường xuyên theo dõi loa truyền thanh để nắm bắt tình hình và chấp hành nghiêm các chỉ đạo của chính quyền.',
  'Xin trân trọng cảm ơn bà con đã lắng nghe.',
];

/** About `seconds` of speech at espeak-ng's Vietnamese rate; `variant` makes the text (and its audio) distinct. */
export function bulletinText(seconds: number, variant = 0): string {
  // espeak-ng reads these sentences at about 13 characters a second.
  const wanted = seconds * 13;
  const parts: string[] = variant > 0 ? [`Bản tin số ${variant}.`] : [];
  for (let index = 0; parts.join(' ').length < wanted; index++) parts.push(SENTENCES[index % SENTENCES.length]!);
  return parts.join(' ');
}
