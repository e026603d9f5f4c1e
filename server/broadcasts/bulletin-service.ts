/**
 * Bulletins: a title plus audio, rendered from Vietnamese text by TTS or normalised from an upload.
 * A bulletin belongs to its author's area: it is visible there and below, and an operator's
 * bulletin waits for an approver (approval-service.ts) like the broadcasts that play it.
 */
import { isReviewer, type Actor } from '../auth/actor.js';
import type { AccessScope } from '../auth/access-scope.js';
import { notFound } from '../errors.js';
import type { PrismaClient } from '../db/database.js';
import type { ApprovalState } from '../db/generated/enums.js';
import { newId } from '../ids.js';
import type { AudioRenderer, RenderedAudio, RenderedAudioRecord } from '../audio/audio-renderer.js';
import { audioUrl } from '../dispatch/play-command-builder.js';
import type { PublicUrl } from '../public-url.js';
import { recordAudio } from '../db/audio-records.js';
import { recordApproval } from './approval-log.js';

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
  readonly approvalState: ApprovalState;
  readonly areaId: string | null;
  readonly createdBy: string | null;
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
  approvalState: true,
  areaId: true,
  createdBy: true,
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

  async createFromText(input: TextBulletinInput, actor: Actor): Promise<BulletinView> {
    const language = input.language ?? this.defaultLanguage;
    const rendered = await this.renderer.renderText({ text: input.text, voice: input.voice, language });
    return this.store({ title: input.title, text: input.text, voice: input.voice ?? null, language, source: 'tts' }, rendered, actor);
  }

  async createFromUpload(title: string, filePath: string, originalName: string, actor: Actor): Promise<BulletinView> {
    const rendered = await this.renderer.normalizeUpload(filePath, originalName);
    return this.store({ title, text: null, voice: null, language: this.defaultLanguage, source: 'upload' }, rendered, actor);
  }

  /** One bulletin; outside `scope` it does not exist. */
  async get(id: string, field?: string, scope?: AccessScope): Promise<BulletinView> {
    const bulletin = await this.prisma.bulletin.findUnique({ where: { id }, select: bulletinSelect });
    if (!bulletin || (scope && !isVisible(bulletin.areaId, scope))) throw notFound('bulletin', id, field);
    return this.toView(bulletin);
  }

  async list(scope: AccessScope, limit = 100): Promise<BulletinView[]> {
    const visible = scope.visibleAreas;
    const rows = await this.prisma.bulletin.findMany({
      where: visible ? { OR: [{ areaId: null }, { areaId: { in: [...visible] } }] } : {},
      select: bulletinSelect,
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map((row) => this.toView(row));
  }

  private async store(
    fields: { title: string; text: string | null; voice: string | null; language: string; source: 'tts' | 'upload' },
    audio: RenderedAudio,
    actor: Actor,
  ): Promise<BulletinView> {
    await recordAudio(this.prisma, audio);
    const approvalState: ApprovalState = isReviewer(actor) ? 'approved' : 'pending';
    const bulletin = await this.prisma.bulletin.create({
      data: {
        id: newId(),
        ...fields,
        audioSha256: audio.sha256,
        createdBy: actor.user?.id ?? null,
        areaId: actor.user?.role === 'admin' ? null : (actor.user?.areaId ?? null),
        approvalState,
      },
      select: bulletinSelect,
    });
    await recordApproval(this.prisma, 'bulletin', bulletin.id, { from: null, to: approvalState, actor });
    return this.toView(bulletin);
  }

  private toView(row: {
    id: string;
    title: string;
    text: string | null;
    voice: string | null;
    language: string;
    source: 'tts' | 'upload';
    approvalState: ApprovalState;
    areaId: string | null;
    createdBy: string | null;
    createdAt: Date;
    audio: RenderedAudioRecord;
  }): BulletinView {
    return { ...row, audio: { ...row.audio, url: audioUrl(this.serverUrl.value, row.audio.sha256, row.audio.mime) } };
  }
}

/** A network-wide bulletin (no area) is visible to all; an area's bulletin in that area, below it, and above it. */
function isVisible(areaId: string | null, scope: AccessScope): boolean {
  return areaId === null || scope.concernsArea(areaId);
}
