/** Stores an audio file's measurements under its sha256 (idempotent: the same audio is one row). */
import type { RenderedAudioRecord } from '../audio/audio-renderer.js';
import type { PrismaClient } from './database.js';

export async function recordAudio(prisma: PrismaClient, audio: RenderedAudioRecord): Promise<void> {
  // Picked field by field: a RenderedAudio also carries `cached`, which is not stored.
  const { sha256, mime, bytes, durationMs, loudnessLufs, truePeakDbtp } = audio;
  const fields = { mime, bytes, durationMs, loudnessLufs, truePeakDbtp };
  await prisma.audio.upsert({ where: { sha256 }, create: { sha256, ...fields }, update: fields });
}
