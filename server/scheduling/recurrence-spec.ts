/**
 * The shape of a schedule as officials and programme files write it: a one-off `startAt`, or a
 * recurrence (a cron expression, or a friendly daily / weekly / monthly form that compiles to
 * cron), with a validity window, calendar exceptions and a repeat count. One zod schema, used by
 * the HTTP API and by the programme-file loader.
 */
import { z } from 'zod';

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as 06:30');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-25');
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Named days of the Vietnamese calendar; lunar ones move every year. See holiday-calendar.ts. */
export const HOLIDAYS = [
  'new-year', // 1/1
  'tet', // the last day of the lunar year (New Year's Eve) and lunar 1/1 to 1/3
  'hung-kings', // lunar 10/3, Giỗ Tổ Hùng Vương
  'reunification', // 30/4
  'labour-day', // 1/5
  'national-day', // 2/9 (and 1/9 or 3/9 as the extra day)
  'mid-autumn', // lunar 15/8, Tết Trung thu (not a day off, but a day programmes change)
] as const;
export type Holiday = (typeof HOLIDAYS)[number];

export const exceptionSchema = z
  .object({
    /** A named holiday, or one date (local, in the schedule's time zone). */
    holiday: z.enum(HOLIDAYS).optional(),
    date: localDate.optional(),
    /** skip: no occurrence that day; replace: the occurrence plays `bulletinId` instead. */
    action: z.enum(['skip', 'replace']).default('skip'),
    bulletinId: z.string().min(1).optional(),
  })
  .refine((e) => (e.holiday === undefined) !== (e.date === undefined), 'give exactly one of holiday or date')
  .refine((e) => e.action !== 'replace' || e.bulletinId !== undefined, { message: 'replace needs a bulletinId', path: ['bulletinId'] });
export type CalendarException = z.infer<typeof exceptionSchema>;

const friendlyBase = { times: z.array(localTime).min(1).max(24) };

export const recurrenceSchema = z
  .object({
    /** Five-field cron (minute hour day-of-month month day-of-week), validated by node-cron. */
    cron: z.string().min(9).max(200).optional(),
    daily: z.object(friendlyBase).optional(),
    weekly: z.object({ ...friendlyBase, days: z.array(z.enum(WEEKDAYS)).min(1).max(7) }).optional(),
    monthly: z.object({ ...friendlyBase, days: z.array(z.number().int().min(1).max(31)).min(1).max(31) }).optional(),
    timezone: z.string().min(1).default(DEFAULT_TIMEZONE),
    /** Local dates, inclusive; a date-range programme is `daily` plus these. */
    validFrom: localDate.optional(),
    validUntil: localDate.optional(),
    exceptions: z.array(exceptionSchema).max(200).default([]),
  })
  .refine((r) => [r.cron, r.daily, r.weekly, r.monthly].filter((x) => x !== undefined).length === 1, 'give exactly one of cron, daily, weekly or monthly')
  .refine((r) => !r.validFrom || !r.validUntil || r.validFrom <= r.validUntil, { message: 'validUntil is before validFrom', path: ['validUntil'] });
export type Recurrence = z.infer<typeof recurrenceSchema>;
export type RecurrenceInput = z.input<typeof recurrenceSchema>;

export const repeatSchema = z.object({
  /** How many times each occurrence plays (1 = once). */
  count: z.number().int().min(1).max(20),
  /** Silence between the end of one play and the start of the next. */
  gapSeconds: z.number().int().min(0).max(24 * 3600).default(0),
});
export type Repeat = z.infer<typeof repeatSchema>;

/** Quiet hours of an area, local time; may wrap midnight (22:00–05:00). Only emergencies play inside. */
export const quietHoursSchema = z.object({ start: localTime, end: localTime });
export type QuietHours = z.infer<typeof quietHoursSchema>;
