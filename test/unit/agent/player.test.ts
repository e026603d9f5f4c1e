import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedOffsetClock } from '../../../device-agent/clock.js';
import { AplayPlayer } from '../../../device-agent/player/aplay-player.js';
import { createPlayer } from '../../../device-agent/player/create-player.js';
import { FfplayPlayer } from '../../../device-agent/player/ffplay-player.js';
import { FilePlayer } from '../../../device-agent/player/file-player.js';
import { PlayerError } from '../../../device-agent/player/process-playback.js';
import { tempDir } from './helpers.js';

const options = { durationMs: 200, volume: 55, broadcastId: 'b1', sha256: 'a'.repeat(64) };

describe('players', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  /** A stand-in executable: records its arguments, then runs `body`. */
  async function fakeBin(name: string, body: string, binDir = path.join(dir, 'bin')): Promise<string> {
    await mkdir(binDir, { recursive: true });
    const file = path.join(binDir, name);
    await writeFile(file, `#!/bin/sh\necho "$@" > "${dir}/${name}.args"\n${body}\n`);
    await chmod(file, 0o755);
    return file;
  }

  it('file player takes the duration and appends one line per playback on the server clock, with the OS time of the start', async () => {
    const clock = new FixedOffsetClock(10_000);
    const out = path.join(dir, 'plays.jsonl');
    const player = new FilePlayer(out, clock);
    const before = clock.now();
    const systemBefore = Date.now();
    const completed = await player.play('/x.mp3', options).done;
    const stopped = player.play('/x.mp3', { ...options, broadcastId: 'b2', durationMs: 60_000 });
    stopped.stop();
    expect([completed, await stopped.done]).toEqual(['completed', 'interrupted']);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { broadcastId: 'b1', sha256: options.sha256, startedAt: expect.any(Number), systemTime: expect.any(Number), endedAt: expect.any(Number), outcome: 'completed' },
      { broadcastId: 'b2', sha256: options.sha256, startedAt: expect.any(Number), systemTime: expect.any(Number), endedAt: expect.any(Number), outcome: 'interrupted' },
    ]);
    // startedAt is on the (here 10 s fast) server-clock estimate; systemTime is Date.now(), never skewed.
    expect(lines[0].systemTime).toBeGreaterThanOrEqual(systemBefore);
    expect(lines[0].systemTime - systemBefore).toBeLessThan(100);
    expect(Math.abs(lines[0].startedAt - lines[0].systemTime - 10_000)).toBeLessThan(5);
    expect(lines[0].startedAt).toBeGreaterThanOrEqual(before);
    expect(Math.abs(lines[0].startedAt - (Date.now() + 10_000))).toBeLessThan(1_000);
    expect(lines[0].endedAt - lines[0].startedAt).toBeGreaterThanOrEqual(195);
  });

  it('ffplay player passes the documented flags and reports completion, failure and stop', async () => {
    const ok = new FfplayPlayer(await fakeBin('ffplay', 'exit 0'));
    expect(await ok.play('/audio/x.mp3', options).done).toBe('completed');
    expect((await readFile(path.join(dir, 'ffplay.args'), 'utf8')).trim()).toBe('-nodisp -autoexit -loglevel error -volume 55 /audio/x.mp3');

    const broken = new FfplayPlayer(await fakeBin('ffplay', 'echo "no audio device" >&2; exit 1', path.join(dir, 'bin2')));
    await expect(broken.play('/audio/x.mp3', options).done).rejects.toThrow(/ffplay exited with code 1: no audio device/);

    const slow = new FfplayPlayer(await fakeBin('ffplay', 'exec sleep 30', path.join(dir, 'bin3')));
    const playback = slow.play('/audio/x.mp3', options);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = Date.now();
    playback.stop();
    expect(await playback.done).toBe('interrupted');
    expect(Date.now() - stoppedAt).toBeLessThan(900);
  });

  it('aplay player decodes with ffmpeg (volume applied) and pipes WAV into aplay -D <device>', async () => {
    const mp3 = path.join(dir, 'tone.mp3');
    const { spawnSync } = await import('node:child_process');
    spawnSync(ffmpeg.path, ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.3', '-ac', '1', mp3]);
    const aplay = await fakeBin('aplay', `cat > "${dir}/received.wav"`);
    const player = new AplayPlayer('hw:1,0', ffmpeg.path, aplay);
    expect(await player.play(mp3, options).done).toBe('completed');
    expect((await readFile(path.join(dir, 'aplay.args'), 'utf8')).trim()).toBe('-D hw:1,0 -q -');
    const wav = await readFile(path.join(dir, 'received.wav'));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.subarray(8, 12).toString()).toBe('WAVE');
  });

  it('auto picks ffplay, then aplay, and otherwise explains what to install', async () => {
    const clock = new FixedOffsetClock();
    const both = path.join(dir, 'both');
    await fakeBin('ffplay', 'exit 0', both);
    await fakeBin('aplay', 'exit 0', both);
    const onlyAplay = path.join(dir, 'only-aplay');
    await fakeBin('aplay', 'exit 0', onlyAplay);
    await fakeBin('ffmpeg', 'exit 0', onlyAplay);
    expect((await createPlayer({ kind: 'auto' }, clock, both)).name).toBe('ffplay');
    expect((await createPlayer({ kind: 'auto' }, clock, onlyAplay)).name).toBe('aplay');
    await expect(createPlayer({ kind: 'auto' }, clock, path.join(dir, 'empty'))).rejects.toThrow(PlayerError);
    await expect(createPlayer({ kind: 'auto' }, clock, path.join(dir, 'empty'))).rejects.toThrow(/neither ffplay nor aplay.*file:<path>/);
    expect((await createPlayer({ kind: 'file', path: path.join(dir, 'p.jsonl') }, clock, '')).name).toBe('file');
  });
});
