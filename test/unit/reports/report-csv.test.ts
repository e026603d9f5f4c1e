/**
 * The CSV files officials open in Excel: RFC 4180 quoting, a UTF-8 byte-order mark (without it
 * Excel reads UTF-8 as the PC's ANSI code page and Vietnamese letters come out garbled), CRLF,
 * formulas defused, Vietnam times, headings in the reader's language; and the report periods.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.js';
import { attachmentDisposition, csvCell, toCsv } from '../../../server/reports/csv.js';
import { areaReportCsv, deliveriesCsv } from '../../../server/reports/report-csv.js';
import { parseBound, parsePeriod, vietnamDateTime, vietnamDay } from '../../../server/reports/report-period.js';
import type { AreaReport, DeliveryExportRow } from '../../../server/reports/report-service.js';

const BOM = '\uFEFF';

describe('CSV cells and files', () => {
  it('quotes cells holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Loa Xóm Bưa')).toBe('Loa Xóm Bưa');
    expect(csvCell('Loa 1, chợ')).toBe('"Loa 1, chợ"');
    expect(csvCell('Loa "Đầu làng"')).toBe('"Loa ""Đầu làng"""');
    expect(csvCell('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it('writes numbers as they are and nothing for a missing value', () => {
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","bấm")')).toBe(`"'=HYPERLINK(""http://x"",""bấm"")"`);
    expect(csvCell('+84 912')).toBe("'+84 912");
    expect(csvCell('-lỗi')).toBe("'-lỗi");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });

  it('starts the file with a byte-order mark and ends every line with CRLF', () => {
    const text = toCsv(['Loa', 'Số'], [['Loa 1, chợ', 3], ['Loa "2"', null]]);
    expect(text).toBe(`${BOM}Loa,Số\r\n"Loa 1, chợ",3\r\n"Loa ""2""",\r\n`);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('offers the file name in ASCII and exactly (RFC 6266)', () => {
    expect(attachmentDisposition('báo-cáo_Đông.csv')).toBe(`attachment; filename="bao-cao_Dong.csv"; filename*=UTF-8''b%C3%A1o-c%C3%A1o_%C4%90%C3%B4ng.csv`);
    expect(attachmentDisposition('a "b"; c.csv')).toBe(`attachment; filename="a-b-c.csv"; filename*=UTF-8''a%20%22b%22%3B%20c.csv`);
  });
});

describe('report CSV files', () => {
  const report: AreaReport = {
    from: new Date('2026-11-01T00:00:00+07:00'),
    to: new Date('2026-12-01T00:00:00+07:00'),
    observedUntil: new Date('2026-11-27T10:00:00+07:00'),
    areas: [
      {
        areaId: 'c',
        name: 'Xã Văn Sơn',
        kind: 'commune',
        parentId: null,
        depth: 0,
        broadcasts: 3,
        airings: 4,
        minutesOnAir: 6.5,
        receiverMinutes: 12.9,
        plays: { completed: 7, failed: 1, missed: 0, interrupted: 0 },
        receivers: 2,
        availabilityPercent: 97.3,
      },
      {
        areaId: 'h',
        name: 'Xóm Bưa, Khang',
        kind: 'hamlet',
        parentId: 'c',
        depth: 1,
        broadcasts: 0,
        airings: 0,
        minutesOnAir: 0,
        receiverMinutes: 0,
        plays: { completed: 0, failed: 0, missed: 2, interrupted: 1 },
        receivers: 0,
        availabilityPercent: null,
      },
    ],
    receivers: [{ deviceId: 'd', name: 'Loa "Đầu làng"', areaId: 'h', onlineMinutes: 100, observedMinutes: 120, availabilityPercent: 83.3 }],
  };

  it('writes the area table with Vietnamese headings and level names, named after the period', () => {
    const file = areaReportCsv(report, 'areas', 'vi');
    expect(file.name).toBe('bao-cao-khu-vuc_2026-11-01_2026-11-30.csv');
    const lines = file.body.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Khu vực,Cấp,Bản tin đã phát,Lượt phát sóng,Phút phát sóng,Phút phát (cộng mọi loa),Lượt loa phát xong,Lượt loa lỗi,Lượt loa bỏ lỡ,Lượt loa bị ngắt,Số loa,Tỷ lệ hoạt động (%)',
    );
    expect(lines[1]).toBe('Xã Văn Sơn,Xã,3,4,6.5,12.9,7,1,0,0,2,97.3');
    expect(lines[2]).toBe('"Xóm Bưa, Khang",Thôn/xóm,0,0,0,0,0,0,2,1,0,');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('writes the receiver table in English with the area named', () => {
    const file = areaReportCsv(report, 'receivers', 'en');
    expect(file.name).toBe('receiver-report_2026-11-01_2026-11-30.csv');
    expect(file.body).toBe(`${BOM}Receiver,Area,Minutes online,Minutes observed,Availability (%)\r\n"Loa ""Đầu làng""","Xóm Bưa, Khang",100,120,83.3\r\n`);
  });

  it('writes deliveries in Vietnam time with seconds, states in the reader\'s language', () => {
    const row: DeliveryExportRow = {
      occurrenceStartAt: new Date('2026-11-27T01:00:00Z'),
      deviceName: 'Loa 1',
      place: 'Xã Văn Sơn › Xóm Bưa',
      state: 'failed',
      sentAt: new Date('2026-11-27T00:50:00.400Z'),
      receivedAt: new Date('2026-11-27T00:50:01Z'),
      downloadedAt: null,
      startedAt: null,
      finishedAt: null,
      error: 'download failed: 404, "not found"\nretry later',
    };
    const vi = deliveriesCsv('0123456789abcdef', [row], 'vi');
    expect(vi.name).toBe('ket-qua-phat_01234567.csv');
    expect(vi.body).toBe(
      `${BOM}Lượt phát lúc,Loa,Khu vực,Trạng thái,Gửi lúc,Nhận lúc,Tải xong,Bắt đầu phát,Kết thúc,Lỗi\r\n` +
        `2026-11-27 08:00:00,Loa 1,Xã Văn Sơn › Xóm Bưa,Lỗi,2026-11-27 07:50:00,2026-11-27 07:50:01,,,,"download failed: 404, ""not found""\nretry later"\r\n`,
    );
    const en = deliveriesCsv('0123456789abcdef', [{ ...row, state: 'played', error: null }], 'en');
    expect(en.name).toBe('deliveries_01234567.csv');
    expect(en.body.split('\r\n')[0]).toBe(`${BOM}Airing at,Receiver,Area,State,Sent,Received,Downloaded,Started,Finished,Error`);
    expect(en.body.split('\r\n')[1]).toContain(',played,');
  });
});

describe('report periods', () => {
  it('reads a day as Vietnam\'s day, the end day included', () => {
    expect(parseBound('2026-11-01', 'from')?.toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(parseBound('2026-11-01', 'to')?.toISOString()).toBe('2026-11-01T17:00:00.000Z');
    expect(parseBound('2026-11-01T08:00:00+07:00', 'to')?.toISOString()).toBe('2026-11-01T01:00:00.000Z');
    expect(parseBound('2026-11-01T01:00:00.123Z', 'from')?.toISOString()).toBe('2026-11-01T01:00:00.123Z');
  });

  it('refuses dates that do not exist and text that is not a date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '01/11/2026', '2026-11-01T08:00', 'hôm nay', '']) expect(parseBound(bad, 'from'), bad).toBeNull();
  });

  it('names the field at fault', () => {
    const fieldOf = (query: { from: string; to: string }) => {
      try {
        parsePeriod(query);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).statusCode).toBe(400);
        return (error as AppError).details.map((d) => d.field);
      }
      return [];
    };
    expect(fieldOf({ from: '2026-11-31', to: '2026-12-01' })).toEqual(['from']);
    expect(fieldOf({ from: '2026-11-01', to: 'ngày mai' })).toEqual(['to']);
    expect(fieldOf({ from: '2026-11-02', to: '2026-11-01' })).toEqual(['to']);
    expect(fieldOf({ from: '2026-11-01T10:00:00+07:00', to: '2026-11-01T10:00:00+07:00' })).toEqual(['to']);
    expect(fieldOf({ from: '2025-01-01', to: '2026-12-31' })).toEqual(['to']);
    // One day is a valid period: from its start to the start of the next.
    expect(parsePeriod({ from: '2026-11-01', to: '2026-11-01' })).toEqual({ from: new Date('2026-11-01T00:00:00+07:00'), to: new Date('2026-11-02T00:00:00+07:00') });
  });

  it('writes instants as Vietnam\'s day and wall-clock time', () => {
    expect(vietnamDay(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
    expect(vietnamDay(new Date('2026-11-30T16:59:59.999Z'))).toBe('2026-11-30');
    expect(vietnamDateTime(new Date('2026-11-30T17:05:09.900Z'))).toBe('2026-12-01 00:05:09');
    expect(vietnamDateTime(null)).toBe('');
  });
});
