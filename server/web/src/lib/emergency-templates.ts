/**
 * Ready-made emergency messages and the checks around them. The message text is always Vietnamese,
 * whatever language the console speaks: it is read aloud to villagers. Blanks such as
 * "[địa điểm]" are what the official completes; a message still holding one must not go on air.
 */
import { topmostSelected, walkAreas, type TreeArea } from './area-tree.js';

export const TEMPLATE_HAZARDS = ['flood', 'landslide', 'storm', 'fire'] as const;
export type TemplateHazard = (typeof TEMPLATE_HAZARDS)[number];

/** The hazards the API knows (server/http/routes/emergency-routes.ts HAZARDS). */
export const HAZARDS = ['storm', 'flood', 'landslide', 'tsunami', 'fire', 'other'] as const;
export type Hazard = (typeof HAZARDS)[number];

export interface EmergencyTemplate {
  readonly hazard: TemplateHazard;
  /** A signal of GET /api/emergency/signals. */
  readonly signal: string;
  readonly repeat: number;
  readonly text: string;
}

export const EMERGENCY_TEMPLATES: Readonly<Record<TemplateHazard, EmergencyTemplate>> = {
  flood: {
    hazard: 'flood',
    signal: 'siren',
    repeat: 3,
    text:
      'Khẩn cấp! Khẩn cấp! Ban Chỉ huy phòng chống thiên tai xã thông báo: do mưa lớn kéo dài, nước sông [tên sông, suối] đang lên nhanh, ' +
      'lũ có thể tràn vào [địa điểm] vào khoảng [thời gian]. Đề nghị bà con khẩn trương đưa người già, trẻ nhỏ, tài sản và gia súc ' +
      'đến [nơi sơ tán]. Tuyệt đối không đi qua ngầm, tràn, suối khi nước đang lên, không vớt củi, đánh bắt cá trên sông. ' +
      'Cần hỗ trợ, gọi số [số điện thoại].',
  },
  landslide: {
    hazard: 'landslide',
    signal: 'siren',
    repeat: 3,
    text:
      'Khẩn cấp! Khẩn cấp! Khu vực [địa điểm] có nguy cơ sạt lở đất rất cao do mưa lớn kéo dài. ' +
      'Đề nghị các hộ gia đình ở chân đồi, ven suối, gần taluy khẩn trương sơ tán ngay đến [nơi sơ tán] trước [thời gian]. ' +
      'Không quay lại nhà khi chưa có thông báo an toàn của chính quyền; không đi qua nơi có vết nứt, đất đá lăn. ' +
      'Cần hỗ trợ, gọi số [số điện thoại].',
  },
  storm: {
    hazard: 'storm',
    signal: 'storm',
    repeat: 2,
    text:
      'Tin bão khẩn cấp. Bão số [số hiệu cơn bão] đang di chuyển vào [khu vực], dự kiến ảnh hưởng trực tiếp đến xã từ [thời gian], ' +
      'gió mạnh cấp [cấp gió], kèm mưa rất to. Đề nghị bà con chằng chống nhà cửa, thu hoạch sớm hoa màu, không ra sông suối, ' +
      'không trú dưới cây to, cột điện. Các hộ ở nhà yếu, ven suối, chân đồi di chuyển đến [nơi sơ tán]. ' +
      'Cần hỗ trợ, gọi số [số điện thoại].',
  },
  fire: {
    hazard: 'fire',
    signal: 'three-tone',
    repeat: 3,
    text:
      'Khẩn cấp! Đang xảy ra cháy tại [địa điểm]. Đề nghị bà con ở gần đám cháy ngắt điện, đưa người già, trẻ nhỏ ra nơi an toàn; ' +
      'lực lượng dân quân, thanh niên mang dụng cụ chữa cháy đến [nơi tập trung] để hỗ trợ. Không tụ tập xem gần đám cháy. ' +
      'Báo cháy gọi 114 hoặc số [số điện thoại].',
  },
};

/** Bulletin titles, in Vietnamese like the message they name. */
const HAZARD_TITLES: Readonly<Record<Hazard, string>> = {
  flood: 'Cảnh báo lũ khẩn cấp',
  landslide: 'Cảnh báo sạt lở đất khẩn cấp',
  storm: 'Tin bão khẩn cấp',
  tsunami: 'Cảnh báo sóng thần khẩn cấp',
  fire: 'Báo cháy khẩn cấp',
  other: 'Thông báo khẩn cấp',
};

/** "Cảnh báo lũ khẩn cấp 14:05 25/11/2026": `when` is already formatted on Vietnam's clock. */
export function emergencyTitle(hazard: Hazard | null, when: string): string {
  return `${HAZARD_TITLES[hazard ?? 'other']} ${when}`;
}

const BLANK = /\[[^[\]]*\]/g;

/** Every "[…]" still in the text, in order, repeats included. */
export function unfilledBlanks(text: string): string[] {
  return text.match(BLANK) ?? [];
}

/** The distinct blanks, each once, in order of first appearance: one field per blank to fill. */
export function distinctBlanks(text: string): string[] {
  return [...new Set(unfilledBlanks(text))];
}

/** Puts `value` in every place `blank` stands (the same place named twice is filled once). */
export function fillBlank(text: string, blank: string, value: string): string {
  const filled = value.trim();
  return filled ? text.split(blank).join(filled) : text;
}

export interface TextSegment {
  readonly text: string;
  readonly blank: boolean;
}

/** The text cut into plain runs and blanks, for showing the blanks highlighted. */
export function segmentBlanks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(BLANK)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ text: text.slice(last, start), blank: false });
    segments.push({ text: match[0], blank: true });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), blank: false });
  return segments;
}

/** The first `count` words, with an ellipsis when there are more: what the confirmation restates. */
export function firstWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length > count ? `${words.slice(0, count).join(' ')}…` : words.join(' ');
}

interface CountedArea extends TreeArea {
  readonly deviceCount: number;
  readonly children: readonly CountedArea[];
}

/**
 * The receivers an emergency to these areas reaches. A target area covers everything below it,
 * so an area ticked under one already ticked adds nothing; `deviceCount` is each area's own.
 */
export function receiversReached(roots: readonly CountedArea[], selected: ReadonlySet<string>): { areaIds: string[]; receivers: number } {
  const areaIds = topmostSelected(roots, selected);
  const chosen = new Set(areaIds);
  let receivers = 0;
  const visit = (areas: readonly CountedArea[], inside: boolean) => {
    for (const area of areas) {
      const counted = inside || chosen.has(area.id);
      if (counted) receivers += area.deviceCount;
      visit(area.children, counted);
    }
  };
  visit(roots, false);
  return { areaIds, receivers };
}

/** Every receiver in the tree: what "all my areas" reaches. */
export function allReceivers(roots: readonly CountedArea[]): number {
  let receivers = 0;
  for (const area of walkAreas(roots)) receivers += area.deviceCount;
  return receivers;
}

/** How long a signal sounds: its blasts and the gaps between them. */
export function signalDurationMs(pattern: { readonly blasts: number; readonly blastMs: number; readonly gapMs: number }): number {
  return pattern.blasts * pattern.blastMs + Math.max(0, pattern.blasts - 1) * pattern.gapMs;
}

export const CADENCE_CHOICES = ['none', '2h', '15m'] as const;
export type CadenceChoice = (typeof CADENCE_CHOICES)[number];

/** The settings of the send form as typed (numbers are still text). */
export interface EmergencySettingsDraft {
  readonly hazard: Hazard | '';
  /** A signal name; '' for none. */
  readonly signal: string;
  readonly repeat: string;
  readonly gapSeconds: string;
  readonly validityMinutes: string;
  readonly cadence: CadenceChoice;
  readonly targetAll: boolean;
  /** The ids to target (topmostSelected), when not all. */
  readonly areaIds: readonly string[];
}

/** The fields of POST /api/emergency besides the message. */
export interface EmergencySettings {
  readonly target: { readonly all: true } | { readonly areaIds: readonly string[] };
  readonly repeat: number;
  readonly gapSeconds: number;
  readonly tone: string | null;
  readonly hazard?: Hazard;
  readonly validityMinutes: number;
  readonly cadence?: { readonly every: string; readonly alignTo: 'hour' };
}

export type SettingsProblem =
  | { readonly field: 'repeat' | 'gapSeconds' | 'validityMinutes'; readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly field: 'target'; readonly kind: 'required' };

/** The API's limits (emergency-routes.ts settingsShape). */
const LIMITS = {
  repeat: { min: 1, max: 10, integer: true },
  gapSeconds: { min: 0, max: 600, integer: true },
  validityMinutes: { min: 0.1, max: 24 * 60, integer: false },
} as const;

function numberIn(text: string, limit: { min: number; max: number; integer: boolean }): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < limit.min || value > limit.max) return null;
  if (limit.integer && !Number.isInteger(value)) return null;
  return value;
}

/** The request's settings, or what is wrong with the form (checked here so the official sees it before confirming). */
export function emergencySettings(draft: EmergencySettingsDraft): { settings: EmergencySettings; problems: [] } | { settings: null; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const numbers = {} as Record<keyof typeof LIMITS, number>;
  for (const field of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = numberIn(draft[field], LIMITS[field]);
    if (value === null) problems.push({ field, kind: 'range', min: LIMITS[field].min, max: LIMITS[field].max });
    else numbers[field] = value;
  }
  if (!draft.targetAll && draft.areaIds.length === 0) problems.push({ field: 'target', kind: 'required' });
  if (problems.length > 0) return { settings: null, problems };
  return {
    settings: {
      target: draft.targetAll ? { all: true } : { areaIds: [...draft.areaIds] },
      repeat: numbers.repeat,
      gapSeconds: numbers.gapSeconds,
      tone: draft.signal === '' ? null : draft.signal,
      ...(draft.hazard === '' ? {} : { hazard: draft.hazard }),
      validityMinutes: numbers.validityMinutes,
      ...(draft.cadence === 'none' ? {} : { cadence: { every: draft.cadence, alignTo: 'hour' as const } }),
    },
    problems: [],
  };
}

/** A recording sent as multipart: the fields first (the server reads them before the file), target and cadence as JSON. */
export function emergencyUploadForm(settings: EmergencySettings, title: string, file: Blob, fileName: string): FormData {
  const form = new FormData();
  if (title.trim()) form.append('title', title.trim());
  form.append('target', JSON.stringify(settings.target));
  form.append('repeat', String(settings.repeat));
  form.append('gapSeconds', String(settings.gapSeconds));
  form.append('tone', settings.tone ?? '');
  if (settings.hazard) form.append('hazard', settings.hazard);
  form.append('validityMinutes', String(settings.validityMinutes));
  if (settings.cadence) form.append('cadence', JSON.stringify(settings.cadence));
  form.append('file', file, fileName);
  return form;
}
