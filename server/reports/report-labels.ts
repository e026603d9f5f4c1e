/** Column headings and state names of the CSV files, in Vietnamese (the default) and English. */
import type { AreaKind, DeliveryState } from '../db/generated/enums.js';

export const CSV_LANGUAGES = ['vi', 'en'] as const;
export type CsvLanguage = (typeof CSV_LANGUAGES)[number];

interface Labels {
  readonly areaColumns: readonly string[];
  readonly receiverColumns: readonly string[];
  readonly deliveryColumns: readonly string[];
  readonly kinds: Readonly<Record<AreaKind, string>>;
  readonly states: Readonly<Record<DeliveryState, string>>;
  readonly files: { readonly areas: string; readonly receivers: string; readonly deliveries: string };
}

export const CSV_LABELS: Readonly<Record<CsvLanguage, Labels>> = {
  vi: {
    areaColumns: [
      'Khu vực',
      'Cấp',
      'Bản tin đã phát',
      'Lượt phát sóng',
      'Phút phát sóng',
      'Phút phát (cộng mọi loa)',
      'Lượt loa phát xong',
      'Lượt loa lỗi',
      'Lượt loa bỏ lỡ',
      'Lượt loa bị ngắt',
      'Số loa',
      'Tỷ lệ hoạt động (%)',
    ],
    receiverColumns: ['Loa', 'Khu vực', 'Phút trực tuyến', 'Phút được theo dõi', 'Tỷ lệ hoạt động (%)'],
    deliveryColumns: ['Lượt phát lúc', 'Loa', 'Khu vực', 'Trạng thái', 'Gửi lúc', 'Nhận lúc', 'Tải xong', 'Bắt đầu phát', 'Kết thúc', 'Lỗi'],
    kinds: { province: 'Tỉnh', district: 'Huyện', commune: 'Xã', hamlet: 'Thôn/xóm' },
    states: {
      pending: 'Chờ gửi',
      sent: 'Đã gửi',
      received: 'Đã nhận',
      downloaded: 'Đã tải',
      playing: 'Đang phát',
      played: 'Đã phát',
      failed: 'Lỗi',
      preempted: 'Bị ngắt',
      missed: 'Bỏ lỡ',
      expired: 'Quá hạn',
      cancelled: 'Đã huỷ',
    },
    files: { areas: 'bao-cao-khu-vuc', receivers: 'bao-cao-loa', deliveries: 'ket-qua-phat' },
  },
  en: {
    areaColumns: [
      'Area',
      'Level',
      'Broadcasts aired',
      'Airings',
      'Minutes on air',
      'Receiver minutes',
      'Plays completed',
      'Plays failed',
      'Plays missed',
      'Plays interrupted',
      'Receivers',
      'Availability (%)',
    ],
    receiverColumns: ['Receiver', 'Area', 'Minutes online', 'Minutes observed', 'Availability (%)'],
    deliveryColumns: ['Airing at', 'Receiver', 'Area', 'State', 'Sent', 'Received', 'Downloaded', 'Started', 'Finished', 'Error'],
    kinds: { province: 'Province', district: 'District', commune: 'Commune', hamlet: 'Hamlet' },
    states: {
      pending: 'pending',
      sent: 'sent',
      received: 'received',
      downloaded: 'downloaded',
      playing: 'playing',
      played: 'played',
      failed: 'failed',
      preempted: 'preempted',
      missed: 'missed',
      expired: 'expired',
      cancelled: 'cancelled',
    },
    files: { areas: 'area-report', receivers: 'receiver-report', deliveries: 'deliveries' },
  },
};
