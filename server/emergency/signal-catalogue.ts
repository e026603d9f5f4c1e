/**
 * The named attention signals: a sound played as blasts with gaps (storm: 3 × 20 s blasts 10 s
 * apart). Each is rendered once and listed in every receiver's config, so receivers download it at
 * first start and an emergency begins with sound while its message is still downloading. Changing a
 * pattern renders it again and tells the receivers (onChange).
 */
import type { Logger } from 'pino';
import type { SignalPattern, SignalRef } from '../../protocol/index.js';
import type { AudioRenderer, RenderedAudioRecord } from '../audio/audio-renderer.js';
import type { PrismaClient } from '../db/database.js';
import { recordAudio } from '../db/audio-records.js';
import { buildAudioRef } from '../dispatch/play-command-builder.js';
import { notFound } from '../errors.js';
import type { PublicUrl } from '../public-url.js';

export interface SignalDefinition {
  readonly label: string;
  readonly pattern: SignalPattern;
}

export const DEFAULT_SIGNALS: Readonly<Record<string, SignalDefinition>> = Object.freeze({
  siren: { label: 'Còi hú (siren)', pattern: { sound: 'siren', blasts: 1, blastMs: 4_000, gapMs: 0 } },
  chime: { label: 'Chuông (chime)', pattern: { sound: 'chime', blasts: 1, blastMs: 1_700, gapMs: 0 } },
  'three-tone': { label: 'Ba tiếng (three-tone)', pattern: { sound: 'three-tone', blasts: 1, blastMs: 3_600, gapMs: 0 } },
  storm: { label: 'Báo bão: 3 hồi còi 20 giây, cách nhau 10 giây (storm)', pattern: { sound: 'siren', blasts: 3, blastMs: 20_000, gapMs: 10_000 } },
});

export interface SignalView extends SignalDefinition {
  readonly name: string;
  /** Null until rendered (signals render in the background at start-up). */
  readonly audio: RenderedAudioRecord | null;
}

export type SignalsChangedListener = () => void;

export class SignalCatalogue {
  private readonly rendered = new Map<string, { definition: SignalDefinition; audio: RenderedAudioRecord }>();
  private readonly listeners: SignalsChangedListener[] = [];
  private renderingAll: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly renderer: AudioRenderer,
    private readonly publicUrl: PublicUrl,
    private readonly logger: Logger,
  ) {}

  /** Seeds the defaults and starts rendering every signal; `ready()` tells when they are all done. */
  async start(): Promise<void> {
    await this.prisma.emergencySignal.createMany({
      data: Object.entries(DEFAULT_SIGNALS).map(([name, { label, pattern }]) => ({ name, label, ...pattern })),
      skipDuplicates: true,
    });
    this.renderingAll = this.renderAll().catch((error: unknown) => this.logger.error({ err: error }, 'rendering attention signals failed'));
  }

  ready(): Promise<void> {
    return this.renderingAll ?? Promise.resolve();
  }

  /** Lets a render in progress finish (its files and rows land whole) and starts no other. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.ready();
  }

  onChange(listener: SignalsChangedListener): void {
    this.listeners.push(listener);
  }

  /** What receivers are told to cache: every signal rendered so far. */
  refs(): SignalRef[] {
    return [...this.rendered.entries()].map(([name, { audio }]) => ({ name, audio: buildAudioRef(audio, this.publicUrl.value) }));
  }

  async list(): Promise<SignalView[]> {
    const rows = await this.prisma.emergencySignal.findMany({ orderBy: { name: 'asc' } });
    return rows.map((row) => ({ name: row.name, label: row.label, pattern: patternOf(row), audio: this.rendered.get(row.name)?.audio ?? null }));
  }

  /** A signal ready to play, rendering it now if start-up has not got to it yet. */
  async resolve(name: string, field = 'signal'): Promise<{ ref: SignalRef; pattern: SignalPattern; audio: RenderedAudioRecord }> {
    const row = await this.prisma.emergencySignal.findUnique({ where: { name } });
    if (!row) throw notFound('signal', name, field);
    const audio = this.rendered.get(name)?.audio ?? (await this.render(name, { label: row.label, pattern: patternOf(row) }));
    return { ref: { name, audio: buildAudioRef(audio, this.publicUrl.value) }, pattern: patternOf(row), audio };
  }

  /** Creates or changes a signal; receivers are told to cache the new sound. */
  async put(name: string, definition: SignalDefinition): Promise<SignalView> {
    const audio = await this.render(name, definition);
    await this.prisma.emergencySignal.upsert({
      where: { name },
      create: { name, label: definition.label, ...definition.pattern, audioSha256: audio.sha256 },
      update: { label: definition.label, ...definition.pattern, audioSha256: audio.sha256, updatedAt: new Date() },
    });
    this.changed();
    return { name, ...definition, audio };
  }

  private async renderAll(): Promise<void> {
    const rows = await this.prisma.emergencySignal.findMany({ orderBy: { name: 'asc' } });
    // Shortest first: the common signals are ready soonest.
    rows.sort((a, b) => a.blasts * a.blastMs - b.blasts * b.blastMs);
    for (const row of rows) {
      if (this.stopped) return;
      await this.render(row.name, { label: row.label, pattern: patternOf(row) });
    }
    if (rows.length > 0) this.changed();
  }

  private async render(name: string, definition: SignalDefinition): Promise<RenderedAudioRecord> {
    const rendered = await this.renderer.renderSignal(definition.pattern);
    const { cached: _cached, ...audio } = rendered;
    await recordAudio(this.prisma, audio);
    this.rendered.set(name, { definition, audio });
    return audio;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function patternOf(row: { sound: string; blasts: number; blastMs: number; gapMs: number }): SignalPattern {
  return { sound: row.sound as SignalPattern['sound'], blasts: row.blasts, blastMs: row.blastMs, gapMs: row.gapMs };
}
