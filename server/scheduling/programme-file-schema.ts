/**
 * The shape of a programme file (`schedules/*.yaml|yml|json`): one commune's (or district's)
 * recurring programmes. Strict throughout, so a misspelt key is an error rather than a silently
 * ignored line. The schedule itself is the shared recurrence schema (recurrence-spec.ts), made
 * strict here and checked a little further (cron syntax, time zone, real calendar dates).
 *
 * Validation is pure: whether an audio file exists, and whether areas and bulletins exist, is
 * for the loader (programme-catalogue.ts) and the server to check.
 */
import path from 'node:path';
import { validateDetailed as validateCron } from 'node-cron';
import { z } from 'zod';
import { recurrenceSchema, repeatSchema } from './recurrence-spec.js';
import { strictDeep } from './programme-strict-schema.js';

/** Emergency broadcasts are started by an official, never from a file. */
export const FILE_PRIORITIES = ['low', 'normal', 'high'] as const;
export type FilePriority = (typeof FILE_PRIORITIES)[number];

export const MAX_TEXT_LENGTH = 20_000;
export const MAX_PROGRAMMES_PER_FILE = 500;
export const MAX_PLAYLIST_ITEMS = 100;
/** Silence between playlist items; longer pauses are better written as two programmes. */
export const MAX_GAP_SECONDS = 300;
/** What ffmpeg in the audio pipeline is expected to decode; anything else is almost surely a wrong path. */
export const AUDIO_EXTENSIONS = ['.mp3', '.wav', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.flac'] as const;

/**
 * Why `candidate` is not an acceptable audio path, or undefined if it is. Paths are relative to the
 * schedules folder and written with `/`, so one file works on every server; none may leave the folder.
 */
export function audioPathProblem(candidate: string): string | undefined {
  if (candidate.trim() === '') return 'must not be empty';
  if (/[\u0000-\u001f]/.test(candidate)) return 'must not contain control characters';
  if (candidate.includes('\\')) return 'use forward slashes (/) in paths, such as audio/nhac-hieu.mp3';
  if (candidate.startsWith('/') || /^[A-Za-z]:/.test(candidate) || candidate.startsWith('~')) {
    return 'must be a path relative to the schedules folder, such as audio/nhac-hieu.mp3 (absolute paths are not allowed)';
  }
  if (candidate.split('/').includes('..')) return 'must stay inside the schedules folder (".." is not allowed)';
  const extension = path.posix.extname(candidate).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(extension)) return `must be an audio file (${AUDIO_EXTENSIONS.join(', ')})`;
  return undefined;
}

/** `./audio//x.mp3` → `audio/x.mp3`; only called on paths `audioPathProblem` accepted. */
export const normaliseAudioPath = (candidate: string): string => path.posix.normalize(candidate).replace(/^(\.\/)+/, '');

// Vietnamese text typed on macOS or pasted from some word processors arrives decomposed (NFD); NFC
// keeps hashes stable and lets area names match the names stored by the web UI.
const label = z.string().normalize('NFC').trim().min(1).max(200);

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of lowercase letters without accents, digits and hyphens, such as ban-tin-sang');

const audioPath = z
  .string()
  .superRefine((value, ctx) => {
    const problem = audioPathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normaliseAudioPath);

const bulletinRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'must be a bulletin id, such as 3f2a9c1e-5b7d-4e8a-9c61-0d2f4b6a8e13');

const PLAYLIST_SOURCES = ['file', 'text', 'bulletin'] as const;

export const playlistItemSchema = z
  .strictObject({
    /** An audio file, relative to the schedules folder. */
    file: audioPath.optional(),
    /** Spoken by the server's TTS when the programme is loaded. */
    text: z.string().normalize('NFC').trim().min(1).max(MAX_TEXT_LENGTH).optional(),
    /** An existing bulletin, by id. */
    bulletin: bulletinRef.optional(),
    /** Shown to officials in the schedule view; defaults to something derived from the source. */
    title: label.optional(),
  })
  .superRefine((item, ctx) => {
    const given = PLAYLIST_SOURCES.filter((key) => item[key] !== undefined);
    if (given.length === 0) ctx.addIssue({ code: 'custom', message: 'give one of file, text or bulletin' });
    if (given.length > 1) ctx.addIssue({ code: 'custom', message: `give only one of file, text or bulletin (found ${given.join(' and ')})` });
  })
  .transform((item): PlaylistItem => {
    const title = item.title === undefined ? {} : { title: item.title };
    if (item.file !== undefined) return { kind: 'file', file: item.file, ...title };
    if (item.text !== undefined) return { kind: 'text', text: item.text, ...title };
    return { kind: 'bulletin', bulletin: item.bulletin ?? '', ...title };
  });

/** A playlist item after validation; `kind` says which one of the three sources it is. */
export type PlaylistItem =
  | { kind: 'file'; /** relative to the schedules folder, normalised (`audio/x.mp3`) */ file: string; title?: string }
  | { kind: 'text'; text: string; title?: string }
  | { kind: 'bulletin'; bulletin: string; title?: string };

const isRealDate = (value: unknown): boolean => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return true; // the shape is the base schema's job
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

const isKnownTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const CRON_FIELD_NAMES: Readonly<Record<string, string>> = { dayOfMonth: 'day-of-month', dayOfWeek: 'day-of-week' };

/**
 * The shared recurrence, strict, plus checks the shared schema leaves to later stages. These run
 * even when other fields of the schedule are wrong (`when`), so one pass reports everything.
 */
export const programmeScheduleSchema = strictDeep(recurrenceSchema).superRefine(
  (value, ctx) => {
    const schedule = asRecord(value);
    if (!schedule) return;
    const { cron: expression, timezone, validFrom, validUntil, exceptions } = schedule;
    if (typeof expression === 'string') {
      // recurrence-spec.ts promises five fields; node-cron alone would also accept a seconds field.
      const fields = expression.trim().split(/\s+/);
      const wrongField = fields.length === 5 ? validateCron(expression.trim()).errors[0] : undefined;
      if (fields.length !== 5 || wrongField) {
        const why = wrongField ? `"${wrongField.value ?? ''}" is not a valid ${CRON_FIELD_NAMES[wrongField.field] ?? wrongField.field}; ` : '';
        ctx.addIssue({ code: 'custom', path: ['cron'], message: `${why}must be a five-field cron expression (minute hour day-of-month month day-of-week), such as "0 6 * * 1-5"` });
      }
    }
    if (typeof timezone === 'string' && timezone !== '' && !isKnownTimeZone(timezone)) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: `unknown time zone "${timezone}"; Vietnam is Asia/Ho_Chi_Minh` });
    }
    for (const [key, date] of [['validFrom', validFrom], ['validUntil', validUntil]] as const) {
      if (!isRealDate(date)) ctx.addIssue({ code: 'custom', path: [key], message: `${String(date)} is not a calendar date` });
    }
    if (Array.isArray(exceptions)) {
      exceptions.forEach((exception, index) => {
        const date = asRecord(exception)?.['date'];
        if (!isRealDate(date)) ctx.addIssue({ code: 'custom', path: ['exceptions', index, 'date'], message: `${String(date)} is not a calendar date` });
      });
    }
  },
  { when: () => true },
);

export const programmeSchema = z.strictObject({
  /** Unique within the file; the catalogue key is `<file name>#<id>`, so renaming it is a remove plus an add. */
  id: slug,
  name: label,
  /** Area codes (`HB-LS-VS`) or exact area names (`Xóm Bưa`); resolved by the server. */
  areas: z
    .array(label)
    .min(1)
    .max(500)
    .superRefine((areas, ctx) => {
      const seen = new Set<string>();
      areas.forEach((area, index) => {
        if (seen.has(area)) ctx.addIssue({ code: 'custom', path: [index], message: `"${area}" is listed twice` });
        seen.add(area);
      });
    }),
  priority: z
    .enum(FILE_PRIORITIES, {
      error: (issue) =>
        issue.input === 'emergency'
          ? 'emergency is not allowed in programme files (an official starts emergency broadcasts); use low, normal or high'
          : 'must be one of low, normal or high',
    })
    .default('normal'),
  schedule: programmeScheduleSchema,
  /** Play the whole playlist `count` times per occurrence. */
  repeat: strictDeep(repeatSchema).optional(),
  /** Silence between playlist items. */
  gapSeconds: z.number().int().min(0).max(MAX_GAP_SECONDS).default(0),
  playlist: z.array(playlistItemSchema).min(1).max(MAX_PLAYLIST_ITEMS),
  enabled: z.boolean().default(true),
});
export type Programme = z.output<typeof programmeSchema>;
export type ProgrammeInput = z.input<typeof programmeSchema>;

export const programmeFileSchema = z
  .strictObject({
    programmes: z.array(programmeSchema).max(MAX_PROGRAMMES_PER_FILE),
  })
  .superRefine(
    (value, ctx) => {
      // Runs on the raw input too (`when`), so a duplicate id is reported alongside other mistakes.
      const programmes = asRecord(value)?.['programmes'];
      if (!Array.isArray(programmes)) return;
      const firstIndex = new Map<string, number>();
      programmes.forEach((programme, index) => {
        const id = asRecord(programme)?.['id'];
        if (typeof id !== 'string') return;
        const first = firstIndex.get(id);
        if (first === undefined) firstIndex.set(id, index);
        else ctx.addIssue({ code: 'custom', path: ['programmes', index, 'id'], message: `id "${id}" is already used by programmes.${first}; ids must be unique within a file` });
      });
    },
    { when: () => true },
  );
export type ProgrammeFile = z.output<typeof programmeFileSchema>;
export type ProgrammeFileInput = z.input<typeof programmeFileSchema>;
