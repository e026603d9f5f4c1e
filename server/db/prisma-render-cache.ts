/** The TTS render cache in the database: cache key (text + voice + settings) → stored audio. */
import type { PrismaClient } from './database.js';
import type { RenderCache, RenderedAudioRecord } from '../audio/audio-renderer.js';
import { recordAudio } from './audio-records.js';

export class PrismaRenderCache implements RenderCache {
  constructor(private readonly prisma: PrismaClient) {}

  async get(key: string): Promise<RenderedAudioRecord | null> {
    const row = await this.prisma.audioRender.findUnique({ where: { cacheKey: key }, include: { audio: true } });
    if (!row) return null;
    const { audio } = row;
    return {
      sha256: audio.sha256,
      bytes: audio.bytes,
      mime: audio.mime,
      durationMs: audio.durationMs,
      loudnessLufs: audio.loudnessLufs,
      truePeakDbtp: audio.truePeakDbtp,
    };
  }

  async put(key: string, audio: RenderedAudioRecord): Promise<void> {
    await recordAudio(this.prisma, audio);
    await this.prisma.audioRender.upsert({
      where: { cacheKey: key },
      create: { cacheKey: key, audioSha256: audio.sha256 },
      update: { audioSha256: audio.sha256 },
    });
  }
}
