import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseAudioBinaries, resolveAudioBinaries } from '../../../server/audio/binaries.js';
import { findExecutableOnPath } from '../../../server/audio/executable-on-path.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: { path: string; remove(): Promise<void> };
let withBoth: string;
let withFfmpegOnly: string;
let notExecutable: string;

async function fakeProgram(dir: string, name: string, mode = 0o755): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), '#!/bin/sh\nexit 0\n');
  await chmod(path.join(dir, name), mode);
}

beforeAll(async () => {
  temp = await makeTempDir('audio-binaries');
  withBoth = path.join(temp.path, 'both');
  withFfmpegOnly = path.join(temp.path, 'ffmpeg-only');
  notExecutable = path.join(temp.path, 'not-executable');
  await fakeProgram(withBoth, 'ffmpeg');
  await fakeProgram(withBoth, 'ffprobe');
  await fakeProgram(withFfmpegOnly, 'ffmpeg');
  await fakeProgram(notExecutable, 'ffmpeg', 0o644);
  await mkdir(path.join(temp.path, 'dir-named-ffmpeg', 'ffmpeg'), { recursive: true });
});

afterAll(() => temp.remove());

describe('findExecutableOnPath', () => {
  it('finds an executable file in a PATH entry, first entry first', () => {
    expect(findExecutableOnPath('ffmpeg', [withFfmpegOnly, withBoth].join(path.delimiter))).toBe(path.join(withFfmpegOnly, 'ffmpeg'));
    expect(findExecutableOnPath('ffprobe', ['', withFfmpegOnly, withBoth].join(path.delimiter))).toBe(path.join(withBoth, 'ffprobe'));
  });

  it('skips files that are not executable, directories, and an empty PATH', () => {
    expect(findExecutableOnPath('ffmpeg', notExecutable)).toBeNull();
    expect(findExecutableOnPath('ffmpeg', path.join(temp.path, 'dir-named-ffmpeg'))).toBeNull();
    expect(findExecutableOnPath('ffmpeg', '')).toBeNull();
    expect(findExecutableOnPath('ffmpeg', undefined)).toBeNull();
  });
});

describe('chooseAudioBinaries', () => {
  it('prefers system ffmpeg and ffprobe found on PATH', () => {
    expect(chooseAudioBinaries(withBoth)).toEqual({ ffmpeg: path.join(withBoth, 'ffmpeg'), ffprobe: path.join(withBoth, 'ffprobe'), source: 'system' });
  });

  it('falls back to the npm builds unless both are on PATH', () => {
    for (const pathVariable of [withFfmpegOnly, notExecutable, '']) {
      const chosen = chooseAudioBinaries(pathVariable);
      expect(chosen.source).toBe('npm');
      expect(chosen.ffmpeg).toContain('@ffmpeg-installer');
      expect(chosen.ffprobe).toContain('@ffprobe-installer');
    }
  });

  it('gives npm builds that really run', () => {
    const chosen = chooseAudioBinaries('');
    for (const binary of [chosen.ffmpeg, chosen.ffprobe]) {
      const run = spawnSync(binary, ['-version'], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/version/);
    }
  });
});

describe('resolveAudioBinaries', () => {
  it('resolves once and reuses the answer', () => {
    const first = resolveAudioBinaries();
    expect(resolveAudioBinaries()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
