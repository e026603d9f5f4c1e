import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson, programmeHash } from '../../../server/scheduling/programme-catalogue.js';
import { friendlyErrorMap } from '../../../server/scheduling/programme-file-issues.js';
import {
  audioPathProblem,
  MAX_TEXT_LENGTH,
  programmeFileSchema,
  programmeSchema,
  type ProgrammeInput,
} from '../../../server/scheduling/programme-file-schema.js';
import { strictDeep } from '../../../server/scheduling/programme-strict-schema.js';
import { recurrenceSchema } from '../../../server/scheduling/recurrence-spec.js';

const base: ProgrammeInput = {
  id: 'ban-tin-sang',
  name: 'Bản tin buổi sáng',
  areas: ['HB-LS-VS'],
  schedule: { daily: { times: ['06:00'] } },
  playlist: [{ text: 'Kính thưa bà con' }],
};
const withChanges = (changes: Record<string, unknown>): unknown => ({ ...base, ...changes });
const withSchedule = (schedule: Record<string, unknown>): unknown => withChanges({ schedule });

/** `field: message` for every issue, with the loader's messages. */
function problems(value: unknown, schema: z.ZodType = programmeSchema): string[] {
  const result = schema.safeParse(value, { error: friendlyErrorMap });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('programme schema', () => {
  it('accepts a minimal programme and fills in defaults', () => {
    expect(programmeSchema.parse(base)).toEqual({
      id: 'ban-tin-sang',
      name: 'Bản tin buổi sáng',
      areas: ['HB-LS-VS'],
      priority: 'normal',
      schedule: { daily: { times: ['06:00'] }, timezone: 'Asia/Ho_Chi_Minh', exceptions: [] },
      gapSeconds: 0,
      playlist: [{ kind: 'text', text: 'Kính thưa bà con' }],
      enabled: true,
    });
  });

  it('rejects emergency, and any priority but low, normal and high', () => {
    expect(problems(withChanges({ priority: 'emergency' }))).toEqual([expect.stringMatching(/^priority: emergency is not allowed in programme files/)]);
    expect(problems(withChanges({ priority: 'urgent' }))).toEqual(['priority: must be one of low, normal or high']);
    for (const priority of ['low', 'normal', 'high']) expect(problems(withChanges({ priority }))).toEqual([]);
  });

  it('needs exactly one of file, text or bulletin per playlist item', () => {
    expect(problems(withChanges({ playlist: [{ title: 'Chỉ có tên' }] }))).toEqual(['playlist.0: give one of file, text or bulletin']);
    expect(problems(withChanges({ playlist: [{ file: 'audio/a.mp3', text: 'x' }] }))).toEqual(['playlist.0: give only one of file, text or bulletin (found file and text)']);
    const parsed = programmeSchema.parse(withChanges({ playlist: [{ file: './audio//a.mp3', title: 'Nhạc' }, { bulletin: '3f2a9c1e-5b7d-4e8a-9c61-0d2f4b6a8e13' }] }));
    expect(parsed.playlist).toEqual([
      { kind: 'file', file: 'audio/a.mp3', title: 'Nhạc' },
      { kind: 'bulletin', bulletin: '3f2a9c1e-5b7d-4e8a-9c61-0d2f4b6a8e13' },
    ]);
    expect(problems(withChanges({ playlist: [] }))).toEqual(['playlist: needs at least 1 item']);
  });

  it(`limits text to ${MAX_TEXT_LENGTH} characters`, () => {
    expect(problems(withChanges({ playlist: [{ text: 'a'.repeat(MAX_TEXT_LENGTH) }] }))).toEqual([]);
    expect(problems(withChanges({ playlist: [{ text: 'a'.repeat(MAX_TEXT_LENGTH + 1) }] }))).toEqual([`playlist.0.text: must be at most 20000 characters (found ${MAX_TEXT_LENGTH + 1})`]);
  });

  it('normalises Vietnamese text to NFC, so decomposed input hashes and matches like composed', () => {
    const decomposed = 'Xóm Bưa'.normalize('NFD');
    expect(decomposed).not.toBe('Xóm Bưa');
    const parsed = programmeSchema.parse(withChanges({ name: 'Bản tin'.normalize('NFD'), areas: [decomposed] }));
    expect(parsed.areas).toEqual(['Xóm Bưa']);
    expect(programmeHash(parsed)).toBe(programmeHash(programmeSchema.parse(withChanges({ name: 'Bản tin', areas: ['Xóm Bưa'] }))));
  });

  it('wants slug ids and distinct areas', () => {
    expect(problems(withChanges({ id: 'bản-tin' }))).toEqual([expect.stringMatching(/^id: must be a slug/)]);
    expect(problems(withChanges({ id: 'Ban Tin' }))).toEqual([expect.stringMatching(/^id: must be a slug/)]);
    expect(problems(withChanges({ areas: ['HB-LS-VS', 'HB-LS-VS'] }))).toEqual(['areas.1: "HB-LS-VS" is listed twice']);
  });

  it('explains a value of the wrong type, with a hint to quote numbers YAML read from 0600', () => {
    expect(problems(withSchedule({ daily: { times: [600] } }))).toEqual(['schedule.daily.times.0: must be text (found the number 600); put the value in quotes']);
    expect(problems(withChanges({ name: null }))).toEqual(['name: is empty; it must be text']);
    expect(problems(withChanges({ name: undefined }))).toEqual(['name: is required']);
    expect(problems(withChanges({ enabled: 'yes' }))).toEqual(['enabled: must be true or false (found the text "yes")']);
  });
});

describe('schedule checks', () => {
  it('rejects unknown keys at every depth of the shared recurrence', () => {
    expect(problems(withSchedule({ daily: { times: ['06:00'], time: ['07:00'] } }))).toEqual(['schedule.daily: Unrecognized key: "time"']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, validUntill: '2026-01-01' }))).toEqual(['schedule: Unrecognized key: "validUntill"']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, exceptions: [{ holiday: 'tet', acton: 'skip' }] }))).toEqual(['schedule.exceptions.0: Unrecognized key: "acton"']);
    expect(problems(withChanges({ repeat: { count: 2, gap: 5 } }))).toEqual(['repeat: Unrecognized key: "gap"']);
  });

  it('keeps the shared recurrence rules', () => {
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, cron: '0 6 * * *' }))).toEqual(['schedule: give exactly one of cron, daily, weekly or monthly']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, validFrom: '2026-06-14', validUntil: '2026-06-01' }))).toEqual(['schedule.validUntil: validUntil is before validFrom']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, exceptions: [{ date: '2026-09-02', action: 'replace' }] }))).toEqual(['schedule.exceptions.0.bulletinId: replace needs a bulletinId']);
    expect(problems(withSchedule({ weekly: { times: ['06:00'], days: ['cn'] } }))).toEqual([
      'schedule.weekly.days.0: must be one of: sun, mon, tue, wed, thu, fri, sat (found the text "cn")',
    ]);
  });

  it('checks cron syntax (five fields), the time zone and calendar dates', () => {
    expect(problems(withSchedule({ cron: '0 6 * * 1-5' }))).toEqual([]);
    expect(problems(withSchedule({ cron: '0 6 * * 8' }))).toEqual([expect.stringMatching(/^schedule\.cron: "8" is not a valid day-of-week; must be a five-field cron/)]);
    expect(problems(withSchedule({ cron: '0 0 6 * * *' }))).toEqual([expect.stringMatching(/^schedule\.cron: must be a five-field cron/)]);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, timezone: 'Asia/Hanoi' }))).toEqual(['schedule.timezone: unknown time zone "Asia/Hanoi"; Vietnam is Asia/Ho_Chi_Minh']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, timezone: 'Asia/Bangkok' }))).toEqual([]);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, validFrom: '2026-02-30' }))).toEqual(['schedule.validFrom: 2026-02-30 is not a calendar date']);
    expect(problems(withSchedule({ daily: { times: ['06:00'] }, exceptions: [{ date: '2026-13-01' }] }))).toEqual(['schedule.exceptions.0.date: 2026-13-01 is not a calendar date']);
  });

  it('reports the extra checks alongside other mistakes in the same schedule', () => {
    expect(problems(withSchedule({ daily: { times: ['6h'] }, timezone: 'Saigon' }))).toEqual([
      'schedule.daily.times.0: must be a 24-hour time such as 06:30',
      'schedule.timezone: unknown time zone "Saigon"; Vietnam is Asia/Ho_Chi_Minh',
    ]);
  });
});

describe('file schema', () => {
  it('rejects unknown top-level keys and duplicate ids', () => {
    expect(problems({ programmes: [], commune: 'Văn Sơn' }, programmeFileSchema)).toEqual([': Unrecognized key: "commune"']);
    expect(problems({ programmes: [base, { ...base, name: 'Khác' }] }, programmeFileSchema)).toEqual([
      'programmes.1.id: id "ban-tin-sang" is already used by programmes.0; ids must be unique within a file',
    ]);
  });

  it('reports a duplicate id even when the file has other mistakes', () => {
    expect(problems({ programmes: [base, { ...base, priority: 'emergency' }] }, programmeFileSchema)).toHaveLength(2);
  });
});

describe('audio paths', () => {
  it.each([
    ['audio/nhac-hieu.mp3', undefined],
    ['nhac.WAV', undefined],
    ['./audio/x.ogg', undefined],
    ['..', /inside the schedules folder/],
    ['audio/../../x.mp3', /inside the schedules folder/],
    ['/srv/x.mp3', /absolute/],
    ['D:\\x.mp3', /forward slashes|absolute/],
    ['~/x.mp3', /absolute/],
    ['audio/x', /must be an audio file/],
    ['', /empty/],
  ])('%j', (candidate, expected) => {
    const problem = audioPathProblem(candidate);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('strictDeep', () => {
  it('leaves the shared recurrence schema as it was (the HTTP API still strips unknown keys)', () => {
    strictDeep(recurrenceSchema);
    expect(recurrenceSchema.safeParse({ daily: { times: ['06:00'], extra: 1 }, extra: 2 }).success).toBe(true);
  });

  it('does not share default values between parses', () => {
    const schedule = strictDeep(recurrenceSchema);
    const a = schedule.parse({ daily: { times: ['06:00'] } });
    const b = schedule.parse({ daily: { times: ['06:00'] } });
    expect(a.exceptions).toEqual([]);
    expect(a.exceptions).not.toBe(b.exceptions);
  });
});

describe('canonicalJson', () => {
  it('is independent of key order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"f":2}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
