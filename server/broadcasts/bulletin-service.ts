/** Bulletins: a title plus audio, rendered from Vietnamese text by TTS or normalised from an upload. */
import { notFound } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import { newId } from '../ids.js';
import type { AudioRenderer, RenderedAudio, RenderedAudioRecord } from '../audio/audio-renderer.js';
import { audioUrl } from '../dispatch/play-command-builder.js';
import type { PublicUrl } from '../public-url.js';
import { recordAudio } from '../db/audio-records.js';

export interface TextBulletinInput {
  readonly title: string;
  readonly text: string;
  readonly voice?: string | undefined;
  readonly language?: string | undefined;
}

export interface BulletinView {
  readonly id: string;
  readonly title: string;
  readonly text: string | null;
  readonly voice: string | null;
  readonly language: string;
  readonly source: 'tts' | 'upload';
  readonly createdAt: Date;
  readonly audio: RenderedAudioRecord & { readonly url: string };
}

const bulletinSelect = {
  id: true,
  title: true,
  text: true,
  voice: true,
  language: true,
  source: true,
  createdAt: true,
  audio: { select: { sha256: true, bytes: true, mime: true, durationMs: true, loudnessLufs: true, truePeakDbtp: true } },
} as const;

export class BulletinService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly renderer: AudioRenderer,
    private readonly serverUrl: PublicUrl,
    private readonly defaultLanguage = 'vi-VN',
  ) {}

  async createFromText(input: TextBulletinInput, createdBy: string | null): Promise<BulletinView> {
    const language = input.language ?? this.defaultLanguage;
    const rendered = await this.renderer.renderText({ text: input.text, voice: input.voice, language });
    return this.store({ title: input.title, text: input.text, voice: input.voice ?? null, language, source: 'tts' }, rendered, createdBy);
  }

  async createFromUpload(title: string, filePath: string, originalName: string, createdBy: string | null): Promise<BulletinView> {
    const rendered = await this.renderer.normalizeUpload(filePath, originalName);
    return this.store({ title, text: null, voice: null, language: this.defaultLanguage, source: 'upload' }, rendered, createdBy);
  }

  async get(id: string, field?: string): Promise<BulletinView> {
    const bulletin = await this.prisma.bulletin.findUnique({ where: { id }, select: bulletinSelect });
    if (!bulletin) throw notFound('bulletin', id, field);
    return this.toView(bulletin);
  }

  async list(limit = 100): Promise<BulletinView[]> {
    const rows = await this.prisma.bulletin.findMany({ select: bulletinSelect, orderBy: { createdAt: 'desc' }, take: limit });
    return rows.map((row) => this.toView(row));
  }

  private async store(
    fields: { title: string; text: string | null; voice: string | null; language: string; source: 'tts' | 'upload' },
    audio: RenderedAudio,
    createdBy: string | null,
  ): Promise<BulletinView> {
    await recordAudio(this.prisma, audio);
    const bulletin = await this.prisma.bulletin.create({
      data: { id: newId(), ...fields, audioSha256: audio.sha256, createdBy },
      select: bulletinSelect,
    });
    return this.toView(bulletin);
  }

  private toView(row: {
    id: string;
    title: string;
    text: string | null;
    voice: string | null;
    language: string;
    source: 'tts' | 'upload';
    createdAt: Date;
    audio: RenderedAudioRecord;
  }): BulletinView {
    return { ...row, audio: { ...row.audio, url: audioUrl(this.serverUrl.value, row.audio.sha256, row.audio.mime) } };
  }
}
