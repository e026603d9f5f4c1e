/** The TTS render cache in the database: cache key (text + voice + settings) → stored audio. */
import type { PrismaClient } from './database.js';
import type { RenderCache, RenderedAudioRecord } from '../audio/audio-renderer.js';

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
    await this.recordAudio(audio);
    await this.prisma.audioRender.upsert({
      where: { cacheKey: key },
      create: { cacheKey: key, audioSha256: audio.sha256 },
      update: { audioSha256: audio.sha256 },
    });
  }

  /** Stores the audio's measurements (also for uploads, which have no cache key). */
  async recordAudio(audio: RenderedAudioRecord): Promise<void> {
    const fields = {
      mime: audio.mime,
      bytes: audio.bytes,
      durationMs: audio.durationMs,
      loudnessLufs: audio.loudnessLufs,
      truePeakDbtp: audio.truePeakDbtp,
    };
    await this.prisma.audio.upsert({ where: { sha256: audio.sha256 }, create: { sha256: audio.sha256, ...fields }, update: fields });
  }
}
