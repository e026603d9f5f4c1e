/** The area report as GET /api/reports/areas returns it, and how the page reads its numbers. */
import type { AreaKind } from '../types.js';

export interface AreaReportRow {
  readonly areaId: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly parentId: string | null;
  /** 0: the area the report is about; 1: one of its children. */
  readonly depth: 0 | 1;
  readonly broadcasts: number;
  readonly airings: number;
  readonly minutesOnAir: number;
  readonly receiverMinutes: number;
  readonly plays: { readonly completed: number; readonly failed: number; readonly missed: number; readonly interrupted: number };
  readonly receivers: number;
  readonly availabilityPercent: number | null;
}

export interface ReceiverAvailability {
  readonly deviceId: string;
  readonly name: string;
  readonly areaId: string;
  readonly onlineMinutes: number;
  readonly observedMinutes: number;
  readonly availabilityPercent: number | null;
}

export interface AreaReport {
  readonly from: string;
  readonly to: string;
  readonly observedUntil: string;
  readonly areas: readonly AreaReportRow[];
  readonly receivers: readonly ReceiverAvailability[];
}

export type AvailabilityTone = 'ok' | 'warn' | 'bad' | 'none';

/** Colour of an availability figure: a receiver off a tenth of the time misses bulletins that matter. */
export function availabilityTone(percent: number | null): AvailabilityTone {
  if (percent === null) return 'none';
  if (percent >= 95) return 'ok';
  if (percent >= 80) return 'warn';
  return 'bad';
}

/** The CSV download of one of the report's two tables, in the console's language. */
export function areaCsvUrl(params: { from: string; to: string; areaId?: string | undefined }, table: 'areas' | 'receivers', lang: string): string {
  const search = new URLSearchParams({ from: params.from, to: params.to });
  if (params.areaId) search.set('areaId', params.areaId);
  search.set('format', 'csv');
  search.set('table', table);
  search.set('lang', lang);
  return `/api/reports/areas?${search.toString()}`;
}
