/** The reports as CSV files: the same numbers as the JSON, with headings in the reader's language. */
import { toCsv } from './csv.js';
import { CSV_LABELS, type CsvLanguage } from './report-labels.js';
import { vietnamDateTime, vietnamDay, type Period } from './report-period.js';
import type { AreaReport, DeliveryExportRow } from './report-service.js';

export interface CsvFile {
  readonly name: string;
  readonly body: string;
}

/** `?table=areas`: one line per area; `receivers`: one line per receiver with its availability. */
export function areaReportCsv(report: AreaReport, table: 'areas' | 'receivers', language: CsvLanguage): CsvFile {
  const labels = CSV_LABELS[language];
  const areaName = new Map(report.areas.map((row) => [row.areaId, row.name]));
  const body =
    table === 'areas'
      ? toCsv(
          labels.areaColumns,
          report.areas.map((row) => [
            row.name,
            labels.kinds[row.kind],
            row.broadcasts,
            row.airings,
            row.minutesOnAir,
            row.receiverMinutes,
            row.plays.completed,
            row.plays.failed,
            row.plays.missed,
            row.plays.interrupted,
            row.receivers,
            row.availabilityPercent,
          ]),
        )
      : toCsv(
          labels.receiverColumns,
          report.receivers.map((receiver) => [
            receiver.name,
            areaName.get(receiver.areaId) ?? receiver.areaId,
            receiver.onlineMinutes,
            receiver.observedMinutes,
            receiver.availabilityPercent,
          ]),
        );
  return { name: `${labels.files[table]}_${periodName(report)}.csv`, body };
}

export function deliveriesCsv(broadcastId: string, rows: readonly DeliveryExportRow[], language: CsvLanguage): CsvFile {
  const labels = CSV_LABELS[language];
  const body = toCsv(
    labels.deliveryColumns,
    rows.map((row) => [
      vietnamDateTime(row.occurrenceStartAt),
      row.deviceName,
      row.place,
      labels.states[row.state],
      vietnamDateTime(row.sentAt),
      vietnamDateTime(row.receivedAt),
      vietnamDateTime(row.downloadedAt),
      vietnamDateTime(row.startedAt),
      vietnamDateTime(row.finishedAt),
      row.error,
    ]),
  );
  return { name: `${labels.files.deliveries}_${broadcastId.slice(0, 8)}.csv`, body };
}

/** `2026-11-01_2026-11-30`: the days the period covers, the last one inclusive. */
function periodName(period: Period): string {
  return `${vietnamDay(period.from)}_${vietnamDay(new Date(period.to.getTime() - 1))}`;
}
