/**
 * Guards the shipped `schedules/` folder: it must load cleanly, hold the programmes the operator guide
 * promises, and carry a small mono signature chime.
 */
import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAudioBinaries } from '../../../server/audio/binaries.js';
import { formatProgrammeFileError, ProgrammeCatalogue } from '../../../server/scheduling/programme-catalogue.js';

const schedules = path.resolve(import.meta.dirname, '../../../schedules');
const chime = path.join(schedules, 'audio', 'nhac-hieu.mp3');

describe('the shipped schedules/ folder', () => {
  it('loads with no errors', async () => {
    const report = await new ProgrammeCatalogue({ dir: schedules }).load();
    const errors = report.files.flatMap((file) => file.errors.map(formatProgrammeFileError));
    expect(errors).toEqual([]);
    expect(report.files.map((file) => file.status)).not.toContain('invalid');
    expect(report.files.find((file) => file.path.endsWith('xa-van-son.yaml'))).toMatchObject({ status: 'loaded', programmes: 4 });
  });

  it('has a morning, an evening, a market-day and a fortnight campaign programme for Xã Văn Sơn', async () => {
    const { programmes } = await new ProgrammeCatalogue({ dir: schedules }).load();
    const byKey = new Map(programmes.map((p) => [p.key, p.programme]));

    const morning = byKey.get('xa-van-son.yaml#ban-tin-sang');
    expect(morning?.schedule.daily?.times).toEqual(['06:00']);
    expect(morning?.areas).toEqual(['HB-LS-VS']);
    expect(morning?.playlist[0]).toEqual({ kind: 'file', file: chime, title: 'Nhạc hiệu' });

    expect(byKey.get('xa-van-son.yaml#ban-tin-chieu')?.schedule.daily?.times).toEqual(['17:30']);

    const market = byKey.get('xa-van-son.yaml#thong-bao-cho-phien');
    expect(market?.schedule.weekly?.days).toEqual(['sun']);

    const campaign = byKey.get('xa-van-son.yaml#chien-dich-sot-xuat-huyet');
    expect(campaign?.schedule.daily?.times).toHaveLength(2);
    expect(campaign?.schedule.validFrom).toBeDefined();
    expect(campaign?.schedule.validUntil).toBeDefined();
    const days = (Date.parse(campaign?.schedule.validUntil ?? '') - Date.parse(campaign?.schedule.validFrom ?? '')) / 86_400_000 + 1;
    expect(days).toBe(14);

    for (const programme of programmes) {
      expect(programme.programme.priority).not.toBe('emergency');
      expect(programme.programme.playlist.some((item) => item.kind === 'text')).toBe(true);
    }
  });

  it('ships a short, small, mono signature chime', async () => {
    expect((await stat(chime)).size).toBeLessThan(40 * 1024);
    const probe = spawnSync(resolveAudioBinaries().ffprobe, ['-v', 'error', '-show_entries', 'stream=channels,codec_name:format=duration', '-of', 'json', chime], { encoding: 'utf8' });
    expect(probe.status).toBe(0);
    const info = JSON.parse(probe.stdout) as { streams: { channels: number; codec_name: string }[]; format: { duration: string } };
    expect(info.streams[0]).toMatchObject({ channels: 1, codec_name: 'mp3' });
    const seconds = Number(info.format.duration);
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThanOrEqual(5);
  });
});
