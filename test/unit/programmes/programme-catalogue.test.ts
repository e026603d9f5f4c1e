import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  diffProgrammes,
  formatProgrammeFileError,
  ProgrammeCatalogue,
  type CatalogueReport,
  type ProgrammeFileError,
  type ProgrammeFileReport,
} from '../../../server/scheduling/programme-catalogue.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: { path: string; remove(): Promise<void> };
let dir: string;

beforeEach(async () => {
  temp = await makeTempDir('programmes');
  dir = path.join(temp.path, 'schedules');
  await mkdir(path.join(dir, 'audio'), { recursive: true });
  await writeFile(path.join(dir, 'audio', 'nhac-hieu.mp3'), 'not really audio; only existence is checked');
});
afterEach(() => temp.remove());

const write = (name: string, text: string) => writeFile(path.join(dir, name), text);
const catalogue = () => new ProgrammeCatalogue({ dir });
const fileReport = (report: CatalogueReport, name: string): ProgrammeFileReport | undefined => report.files.find((f) => path.basename(f.path) === name);
/** The 1-based line of the first line of `text` containing `needle`, so fixtures can change without recounting. */
const lineOf = (text: string, needle: string): number => {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`fixture has no line with ${needle}`);
  return index + 1;
};

const VALID = `# Xã Văn Sơn
programmes:
  - id: ban-tin-sang
    name: Bản tin buổi sáng
    areas: [HB-LS-VS]
    schedule:
      daily: { times: ["06:00"] }
    playlist:
      - file: audio/nhac-hieu.mp3
      - text: Kính thưa bà con
  - id: ban-tin-chieu
    name: Bản tin buổi chiều
    areas: [HB-LS-VS, Xóm Bưa]
    priority: high
    schedule:
      daily: { times: ["17:30"] }
    playlist:
      - text: Bản tin chiều
`;

/** The one error a single-mistake fixture must produce. */
async function onlyError(name: string, text: string): Promise<ProgrammeFileError> {
  await write(name, text);
  const report = await catalogue().load();
  const file = fileReport(report, name);
  expect(file?.status).toBe('invalid');
  expect(file?.programmes).toBe(0);
  expect(report.programmes).toEqual([]);
  expect(file?.errors).toHaveLength(1);
  return file?.errors[0] as ProgrammeFileError;
}

describe('ProgrammeCatalogue: a valid file', () => {
  it('loads every programme with a stable key, its file path, a hash and resolved audio paths', async () => {
    await write('xa-van-son.yaml', VALID);
    const report = await catalogue().load();

    expect(report.files).toEqual([{ path: path.join(dir, 'xa-van-son.yaml'), status: 'loaded', programmes: 2, errors: [] }]);
    expect(report.programmes.map((p) => p.key)).toEqual(['xa-van-son.yaml#ban-tin-sang', 'xa-van-son.yaml#ban-tin-chieu']);
    const [morning, evening] = report.programmes;
    expect(morning?.path).toBe(path.join(dir, 'xa-van-son.yaml'));
    expect([morning?.index, evening?.index]).toEqual([0, 1]);
    expect(morning?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(morning?.hash).not.toBe(evening?.hash);
    expect(morning?.programme.playlist).toEqual([
      { kind: 'file', file: path.join(dir, 'audio', 'nhac-hieu.mp3') },
      { kind: 'text', text: 'Kính thưa bà con' },
    ]);
    // Defaults are filled in, so the server never guesses.
    expect(morning?.programme).toMatchObject({ priority: 'normal', enabled: true, gapSeconds: 0, schedule: { timezone: 'Asia/Ho_Chi_Minh', exceptions: [] } });
    expect(evening?.programme).toMatchObject({ priority: 'high', areas: ['HB-LS-VS', 'Xóm Bưa'] });
  });

  it('loads JSON files the same way, and reports their errors with lines', async () => {
    const json = JSON.stringify(
      { programmes: [{ id: 'thong-bao', name: 'Thông báo', areas: ['HB-LS-VS'], schedule: { weekly: { days: ['sun'], times: ['05:30'] } }, playlist: [{ file: 'audio/nhac-hieu.mp3' }] }] },
      null,
      2,
    );
    await write('huyen.json', json);
    const report = await catalogue().load();
    expect(fileReport(report, 'huyen.json')).toMatchObject({ status: 'loaded', programmes: 1 });
    expect(report.programmes[0]?.key).toBe('huyen.json#thong-bao');
    expect(report.programmes[0]?.programme.schedule.weekly?.days).toEqual(['sun']);

    const broken = json.replace('"05:30"', '"5h30"');
    const error = await onlyError('huyen.json', broken);
    expect(error).toEqual({
      path: path.join(dir, 'huyen.json'),
      field: 'programmes.0.schedule.weekly.times.0',
      line: lineOf(broken, '"5h30"'),
      message: 'must be a 24-hour time such as 06:30',
    });
  });

  it('gives a YAML file and a JSON file with the same content the same hashes', async () => {
    await write('a.yaml', VALID);
    const fromYaml = await catalogue().load();
    await rm(path.join(dir, 'a.yaml'));
    const { parse } = await import('yaml');
    await write('a.json', JSON.stringify(parse(VALID)));
    const fromJson = await catalogue().load();
    expect(fromJson.programmes.map((p) => p.hash)).toEqual(fromYaml.programmes.map((p) => p.hash));
  });

  it('ignores other files, dot files and subfolders', async () => {
    await write('xa-van-son.yaml', VALID);
    await write('README.md', '# not a programme');
    await write('.#xa-van-son.yaml', 'programmes: [');
    await mkdir(path.join(dir, 'old'));
    await writeFile(path.join(dir, 'old', 'x.yaml'), 'programmes: [');
    const report = await catalogue().load();
    expect(report.files.map((f) => path.basename(f.path))).toEqual(['xa-van-son.yaml']);
  });

  it('uses the injected fileExists to check audio files', async () => {
    await write('xa-van-son.yaml', VALID.replace('audio/nhac-hieu.mp3', 'audio/elsewhere.mp3'));
    const asked: string[] = [];
    const report = await new ProgrammeCatalogue({ dir, fileExists: (p) => (asked.push(p), true) }).load();
    expect(fileReport(report, 'xa-van-son.yaml')?.status).toBe('loaded');
    expect(asked).toEqual([path.join(dir, 'audio', 'elsewhere.mp3')]);
  });

  it('throws, keeping what it has, when the folder itself cannot be read', async () => {
    await write('xa-van-son.yaml', VALID);
    const programmes = catalogue();
    await programmes.load();
    await rm(dir, { recursive: true });
    await expect(programmes.load()).rejects.toThrow(/programme folder/);
    expect((await programmes.programmes()).map((p) => p.key)).toHaveLength(2);
  });
});

describe('ProgrammeCatalogue: errors name the file, field, line and reason', () => {
  it('a bad time', async () => {
    const text = VALID.replace('"17:30"', '"17h30"');
    const error = await onlyError('xa-van-son.yaml', text);
    expect(error).toEqual({
      path: path.join(dir, 'xa-van-son.yaml'),
      field: 'programmes.1.schedule.daily.times.0',
      line: lineOf(text, '17h30'),
      message: 'must be a 24-hour time such as 06:30',
    });
    expect(formatProgrammeFileError(error)).toBe(`${path.join(dir, 'xa-van-son.yaml')}: programmes.1.schedule.daily.times.0 (line 16): must be a 24-hour time such as 06:30`);
  });

  it('an unknown key, at any depth, with a suggestion', async () => {
    const text = VALID.replace('daily: { times: ["17:30"] }', 'daily: { time: ["17:30"] }').replace('    priority: high\n', '    priority: high\n    prioriti: low\n');
    await write('xa-van-son.yaml', text);
    const report = await catalogue().load();
    const errors = fileReport(report, 'xa-van-son.yaml')?.errors ?? [];
    expect(errors).toContainEqual({ path: path.join(dir, 'xa-van-son.yaml'), field: 'programmes.1.prioriti', line: lineOf(text, 'prioriti'), message: 'unknown key "prioriti"; did you mean "priority"?' });
    expect(errors).toContainEqual({ path: path.join(dir, 'xa-van-son.yaml'), field: 'programmes.1.schedule.daily.time', line: lineOf(text, 'time: ['), message: 'unknown key "time"; did you mean "times"?' });
    expect(report.programmes).toEqual([]);
  });

  it('a duplicate id', async () => {
    const text = VALID.replace('id: ban-tin-chieu', 'id: ban-tin-sang');
    const error = await onlyError('xa-van-son.yaml', text);
    expect(error.field).toBe('programmes.1.id');
    expect(error.line).toBe(lineOf(text, 'name: Bản tin buổi chiều') - 1);
    expect(error.message).toMatch(/"ban-tin-sang" is already used by programmes\.0/);
  });

  it('a missing audio file', async () => {
    const text = VALID.replace('audio/nhac-hieu.mp3', 'audio/nhac-hieu-moi.mp3');
    const error = await onlyError('xa-van-son.yaml', text);
    expect(error).toMatchObject({ field: 'programmes.0.playlist.0.file', line: lineOf(text, 'nhac-hieu-moi') });
    expect(error.message).toContain('not found');
    expect(error.message).toContain(path.join(dir, 'audio', 'nhac-hieu-moi.mp3'));
  });

  it.each([
    ['../secret/nhac.mp3', /inside the schedules folder/],
    ['audio/../../nhac.mp3', /inside the schedules folder/],
    ['/etc/nhac.mp3', /absolute paths are not allowed/],
    ['C:/Loa/nhac.mp3', /absolute paths are not allowed/],
    ['audio\\nhac-hieu.mp3', /forward slashes/],
    ['audio/ban-tin.docx', /must be an audio file/],
  ])('an audio path that is not allowed: %s', async (bad, reason) => {
    let checked = false;
    const text = VALID.replace('file: audio/nhac-hieu.mp3', `file: ${JSON.stringify(bad)}`);
    await write('xa-van-son.yaml', text);
    const report = await new ProgrammeCatalogue({ dir, fileExists: () => ((checked = true), true) }).load();
    const errors = fileReport(report, 'xa-van-son.yaml')?.errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'programmes.0.playlist.0.file', line: lineOf(text, 'file:') });
    expect(errors[0]?.message).toMatch(reason);
    // A path outside the folder is never even looked up.
    expect(checked).toBe(false);
  });

  it('a YAML syntax error names the line', async () => {
    const text = VALID.replace('name: Bản tin buổi chiều', 'name: "Bản tin buổi chiều').replace('    areas: [HB-LS-VS, Xóm Bưa]\n', '');
    await write('xa-van-son.yaml', text);
    const report = await catalogue().load();
    const errors = fileReport(report, 'xa-van-son.yaml')?.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ path: path.join(dir, 'xa-van-son.yaml'), field: '' });
    expect(errors[0]?.message).toMatch(/^YAML syntax error: /);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(lineOf(text, 'name: "Bản tin'));

    const indented = VALID.replace('    name: Bản tin buổi chiều', '   name: Bản tin buổi chiều');
    const error = await onlyError('xa-van-son.yaml', indented);
    expect(error).toMatchObject({ field: '', line: lineOf(indented, '   name: Bản tin buổi chiều') });
    expect(error.message).toMatch(/^YAML syntax error: /);
  });

  it('a JSON syntax error names the line', async () => {
    const text = '{\n  "programmes": [\n    {"id": "x",}\n  ]\n}\n';
    const error = await onlyError('huyen.json', text);
    expect(error).toMatchObject({ path: path.join(dir, 'huyen.json'), field: '', line: 3 });
    expect(error.message).toMatch(/^JSON syntax error: /);
  });

  it('a duplicate key, in YAML or JSON', async () => {
    const yamlError = await onlyError('a.yaml', VALID.replace('    priority: high\n', '    priority: high\n    priority: low\n'));
    expect(yamlError).toMatchObject({ field: '', line: lineOf(VALID, 'priority: high') + 1 });
    await rm(path.join(dir, 'a.yaml'));
    const jsonError = await onlyError('a.json', '{"programmes": [],\n "programmes": []}');
    expect(jsonError).toMatchObject({ field: '', line: 2 });
  });

  it('an empty file, a file without programmes, and a file that is not UTF-8', async () => {
    expect((await onlyError('a.yaml', '# nothing yet\n')).message).toMatch(/empty/);
    expect(await onlyError('a.yaml', '{}\n')).toMatchObject({ field: 'programmes', line: 1, message: 'is required' });
    await write('a.yaml', 'programs: []\n');
    expect(fileReport(await catalogue().load(), 'a.yaml')?.errors.map((e) => [e.field, e.message])).toEqual([
      ['programmes', 'is required'],
      ['programs', 'unknown key "programs"; did you mean "programmes"?'],
    ]);
    await writeFile(path.join(dir, 'a.yaml'), Buffer.concat([Buffer.from('programmes:\n  - id: x\n    name: B'), Buffer.from([0xe1, 0xba]), Buffer.from('n tin\n')]));
    const error = (await catalogue().load()).files[0]?.errors[0];
    expect(error).toMatchObject({ field: '', line: 3 });
    expect(error?.message).toMatch(/not UTF-8/);
  });

  it('reports every mistake of a file in one pass, in line order', async () => {
    const text = VALID.replace('"06:00"', '"6:00"').replace('audio/nhac-hieu.mp3', 'audio/khong-co.mp3').replace('priority: high', 'priority: emergency');
    await write('xa-van-son.yaml', text);
    const errors = fileReport(await catalogue().load(), 'xa-van-son.yaml')?.errors ?? [];
    expect(errors.map((e) => [e.field, e.line])).toEqual([
      ['programmes.0.schedule.daily.times.0', lineOf(text, '"6:00"')],
      ['programmes.0.playlist.0.file', lineOf(text, 'khong-co')],
      ['programmes.1.priority', lineOf(text, 'emergency')],
    ]);
    expect(errors[2]?.message).toMatch(/emergency is not allowed/);
  });
});

describe('ProgrammeCatalogue: reloading', () => {
  it('keeps the previous version in force while the file is invalid, and loads the fix', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    const first = await programmes.load();

    await write('xa-van-son.yaml', VALID.replace('"06:00"', '"25:00"'));
    const broken = await programmes.load();
    expect(fileReport(broken, 'xa-van-son.yaml')).toMatchObject({ status: 'invalid', programmes: 2 });
    expect(fileReport(broken, 'xa-van-son.yaml')?.errors[0]?.field).toBe('programmes.0.schedule.daily.times.0');
    expect(broken.programmes).toEqual(first.programmes);
    expect(broken.programmes[0]?.programme.schedule.daily?.times).toEqual(['06:00']);
    expect(await programmes.programmes()).toEqual(first.programmes);

    await write('xa-van-son.yaml', VALID.replace('"06:00"', '"06:15"'));
    const fixed = await programmes.load();
    expect(fileReport(fixed, 'xa-van-son.yaml')).toMatchObject({ status: 'loaded', programmes: 2, errors: [] });
    expect(fixed.programmes[0]?.programme.schedule.daily?.times).toEqual(['06:15']);
    expect(fixed.programmes[0]?.hash).not.toBe(first.programmes[0]?.hash);
    // Only the edited programme changed.
    expect(fixed.programmes[1]?.hash).toBe(first.programmes[1]?.hash);
    expect(diffProgrammes(first.programmes, fixed.programmes)).toEqual({ added: [], changed: [fixed.programmes[0]], removed: [] });
  });

  it('a file invalid from the start contributes nothing, and loads once fixed', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID.replace('"06:00"', '"6h"'));
    const broken = await programmes.load();
    expect(fileReport(broken, 'xa-van-son.yaml')).toMatchObject({ status: 'invalid', programmes: 0 });
    expect(broken.programmes).toEqual([]);
    await write('xa-van-son.yaml', VALID);
    expect(fileReport(await programmes.load(), 'xa-van-son.yaml')).toMatchObject({ status: 'loaded', programmes: 2 });
  });

  it('reports unchanged content as unchanged with the same hashes, even if comments change', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    const first = await programmes.load();
    const again = await programmes.load();
    expect(fileReport(again, 'xa-van-son.yaml')).toMatchObject({ status: 'unchanged', programmes: 2 });
    expect(again.programmes.map((p) => p.hash)).toEqual(first.programmes.map((p) => p.hash));

    await write('xa-van-son.yaml', `# sửa lần 2\n${VALID.replace('areas: [HB-LS-VS]', 'areas:\n      - HB-LS-VS')}`);
    const reformatted = await programmes.load();
    expect(fileReport(reformatted, 'xa-van-son.yaml')?.status).toBe('unchanged');
    expect(reformatted.programmes.map((p) => p.hash)).toEqual(first.programmes.map((p) => p.hash));
  });

  it('reports a reordered file as loaded, with the same hashes and new positions', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    const first = await programmes.load();
    const [head, tail] = VALID.split('  - id: ban-tin-chieu\n');
    const [preamble, morning] = (head ?? '').split('  - id: ban-tin-sang\n');
    await write('xa-van-son.yaml', `${preamble}  - id: ban-tin-chieu\n${tail}  - id: ban-tin-sang\n${morning}`);
    const swapped = await programmes.load();
    expect(fileReport(swapped, 'xa-van-son.yaml')?.status).toBe('loaded');
    expect(swapped.programmes.map((p) => [p.key, p.index])).toEqual([
      ['xa-van-son.yaml#ban-tin-chieu', 0],
      ['xa-van-son.yaml#ban-tin-sang', 1],
    ]);
    expect(diffProgrammes(first.programmes, swapped.programmes)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('reports an audio check that fails as an error on that field, not as a failed load', async () => {
    await write('xa-van-son.yaml', VALID);
    const report = await new ProgrammeCatalogue({ dir, fileExists: () => Promise.reject(new Error('EIO')) }).load();
    expect(fileReport(report, 'xa-van-son.yaml')?.errors).toEqual([
      expect.objectContaining({ field: 'programmes.0.playlist.0.file', message: expect.stringContaining('cannot check the audio file') }),
    ]);
  });

  it('removes a deleted file and its programmes, leaving other files alone', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    await write('xa-khang.yml', VALID.replace('ban-tin-sang', 'loa-sang'));
    const before = await programmes.load();
    expect(before.programmes).toHaveLength(4);

    await rm(path.join(dir, 'xa-van-son.yaml'));
    const after = await programmes.load();
    expect(fileReport(after, 'xa-van-son.yaml')).toEqual({ path: path.join(dir, 'xa-van-son.yaml'), status: 'removed', programmes: 0, errors: [] });
    expect(fileReport(after, 'xa-khang.yml')?.status).toBe('unchanged');
    expect(after.programmes.map((p) => p.key)).toEqual(['xa-khang.yml#loa-sang', 'xa-khang.yml#ban-tin-chieu']);
    expect(diffProgrammes(before.programmes, after.programmes).removed.map((p) => p.key)).toEqual(['xa-van-son.yaml#ban-tin-sang', 'xa-van-son.yaml#ban-tin-chieu']);

    // Reported once; afterwards the file is simply not there.
    expect(fileReport(await programmes.load(), 'xa-van-son.yaml')).toBeUndefined();
  });

  it('removes a file that was only ever invalid', async () => {
    const programmes = catalogue();
    await write('nhap.yaml', 'programmes: [');
    await programmes.load();
    await rm(path.join(dir, 'nhap.yaml'));
    expect(fileReport(await programmes.load(), 'nhap.yaml')).toMatchObject({ status: 'removed', programmes: 0 });
  });

  it('notices when an audio file disappears although the programme file did not change', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    await programmes.load();
    await rm(path.join(dir, 'audio', 'nhac-hieu.mp3'));
    const report = await programmes.load();
    expect(fileReport(report, 'xa-van-son.yaml')).toMatchObject({ status: 'invalid', programmes: 2 });
    expect(fileReport(report, 'xa-van-son.yaml')?.errors[0]?.field).toBe('programmes.0.playlist.0.file');
  });

  it('runs concurrent loads one after another', async () => {
    const programmes = catalogue();
    await write('xa-van-son.yaml', VALID);
    const [a, b] = await Promise.all([programmes.load(), programmes.load()]);
    expect(fileReport(a, 'xa-van-son.yaml')?.status).toBe('loaded');
    expect(fileReport(b, 'xa-van-son.yaml')?.status).toBe('unchanged');
  });

  it('hands out frozen programmes, so no consumer can change what is in force', async () => {
    await write('xa-van-son.yaml', VALID);
    const [first] = (await catalogue().load()).programmes;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.programme.schedule.daily?.times)).toBe(true);
  });
});
