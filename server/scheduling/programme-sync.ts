/**
 * Brings the database in line with the programme files in schedules/: each playlist item of a
 * programme becomes one recurring broadcast (`<file>#<programme>#<item>`), offset within the slot
 * by the items before it. Unchanged programmes are left alone; changed ones are replaced (what has
 * not started is withdrawn); removed ones are cancelled. A file that fails validation changes
 * nothing: the version loaded before, in the catalogue or in the database, stays in force.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { AreaService } from '../areas/area-service.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { BroadcastService } from '../broadcasts/broadcast-service.js';
import type { BulletinService } from '../broadcasts/bulletin-service.js';
import { sha256OfBuffer, sha256OfFile } from '../audio/sha256.js';
import type { PrismaClient } from '../db/database.js';
import { formatProgrammeFileError, type CatalogueReport, type LoadedProgramme, type ProgrammeCatalogue, type ProgrammeFileError } from './programme-catalogue.js';

export interface ProgrammeSyncReport {
  readonly loadedAt: Date;
  readonly files: readonly {
    readonly path: string;
    readonly status: string;
    readonly programmes: number;
    readonly errors: readonly (ProgrammeFileError & { readonly text: string })[];
  }[];
  readonly broadcasts: { readonly created: number; readonly cancelled: number; readonly unchanged: number };
}

const KEY_SEPARATOR = '#';

export class ProgrammeSync {
  private last: ProgrammeSyncReport | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalogue: ProgrammeCatalogue,
    private readonly prisma: PrismaClient,
    private readonly areas: AreaService,
    private readonly bulletins: BulletinService,
    private readonly broadcasts: BroadcastService,
    private readonly logger: Logger,
  ) {}

  lastReport(): ProgrammeSyncReport | undefined {
    return this.last;
  }

  /** Reads the folder and applies what changed; one sync at a time. */
  sync(): Promise<ProgrammeSyncReport> {
    const run = this.running.catch(() => undefined).then(() => this.syncOnce());
    this.running = run;
    return run;
  }

  private async syncOnce(): Promise<ProgrammeSyncReport> {
    const report = await this.catalogue.load();
    const extraErrors = new Map<string, ProgrammeFileError[]>();
    const invalidFiles = new Set(report.files.filter((f) => f.status === 'invalid').map((f) => path.basename(f.path)));
    const existing = await this.prisma.broadcast.findMany({
      where: { programmeKey: { not: null }, status: 'scheduled' },
      select: { id: true, programmeKey: true, programmeHash: true },
    });
    const existingByProgramme = new Map<string, typeof existing>();
    for (const row of existing) {
      const programmeKey = row.programmeKey!.split(KEY_SEPARATOR).slice(0, 2).join(KEY_SEPARATOR);
      existingByProgramme.set(programmeKey, [...(existingByProgramme.get(programmeKey) ?? []), row]);
    }

    let created = 0;
    let cancelled = 0;
    let unchanged = 0;
    const wanted = new Set<string>();
    for (const loaded of report.programmes) {
      wanted.add(loaded.key);
      const current = existingByProgramme.get(loaded.key) ?? [];
      try {
        const hash = await contentHash(loaded);
        if (current.length > 0 && current.every((row) => row.programmeHash === hash)) {
          unchanged++;
          continue;
        }
        const replacement = await this.materialise(loaded, hash);
        cancelled += await this.cancel(current);
        for (const item of replacement) {
          await this.broadcasts.create(item.broadcast, SYSTEM_ACTOR, { programme: item.programme });
          created++;
        }
      } catch (error) {
        const file = path.basename(loaded.path);
        const problem = error instanceof ProgrammeResolutionError ? error.detail : { field: loaded.key, message: (error as Error).message };
        extraErrors.set(file, [...(extraErrors.get(file) ?? []), { path: loaded.path, ...problem }]);
        this.logger.error({ programme: loaded.key, err: error }, 'programme could not be applied; the previous version stays');
      }
    }
    for (const [programmeKey, rows] of existingByProgramme) {
      const file = programmeKey.split(KEY_SEPARATOR)[0]!;
      // A programme gone from a file that failed validation is not gone: that file's last good version stays.
      if (wanted.has(programmeKey) || invalidFiles.has(file)) continue;
      cancelled += await this.cancel(rows);
    }
    this.last = this.toReport(report, extraErrors, { created, cancelled, unchanged });
    for (const file of this.last.files) {
      if (file.errors.length > 0) this.logger.error({ file: file.path, errors: file.errors.map((e) => e.text) }, 'invalid programme file');
    }
    return this.last;
  }

  /** The broadcasts a programme needs, built before anything is changed so a failure changes nothing. */
  private async materialise(loaded: LoadedProgramme, hash: string) {
    const { programme } = loaded;
    const areaIds: string[] = [];
    for (const [index, reference] of programme.areas.entries()) {
      const found = await this.areas.findByCodeOrName(reference);
      if (found.length !== 1) {
        throw new ProgrammeResolutionError({
          field: `programmes.${loaded.index}.areas.${index}`,
          message: found.length === 0 ? `no area has the code or name "${reference}"` : `"${reference}" names ${found.length} areas; use its code`,
        });
      }
      areaIds.push(found[0]!.id);
    }
    const items: { bulletinId: string; durationMs: number }[] = [];
    for (const [index, item] of programme.playlist.entries()) {
      const title = item.title ?? `${programme.name} (${index + 1})`;
      if (item.kind === 'text') {
        const bulletin = await this.bulletins.createFromText({ title, text: item.text }, SYSTEM_ACTOR);
        items.push({ bulletinId: bulletin.id, durationMs: bulletin.audio.durationMs });
      } else if (item.kind === 'file') {
        const bulletin = await this.bulletins.createFromUpload(title, item.file, path.basename(item.file), SYSTEM_ACTOR);
        items.push({ bulletinId: bulletin.id, durationMs: bulletin.audio.durationMs });
      } else {
        const bulletin = await this.bulletins.get(item.bulletin).catch(() => {
          throw new ProgrammeResolutionError({ field: `programmes.${loaded.index}.playlist.${index}.bulletin`, message: `no bulletin has the id "${item.bulletin}"` });
        });
        items.push({ bulletinId: bulletin.id, durationMs: bulletin.audio.durationMs });
      }
    }
    if (!programme.enabled) return [];
    const gapMs = programme.gapSeconds * 1_000;
    const cycleMs = items.reduce((total, item) => total + item.durationMs, 0) + gapMs * (items.length - 1);
    let offsetMs = 0;
    return items.map((item, index) => {
      const slotOffsetMs = offsetMs;
      offsetMs += item.durationMs + gapMs;
      // Repeating the programme repeats the whole playlist: each item waits for the rest of the cycle.
      const repeat = programme.repeat
        ? { count: programme.repeat.count, gapSeconds: Math.round((cycleMs - item.durationMs) / 1_000) + programme.repeat.gapSeconds }
        : undefined;
      return {
        broadcast: {
          bulletinId: item.bulletinId,
          target: { areaIds },
          recurrence: programme.schedule,
          repeat,
          priority: programme.priority,
        },
        programme: { key: `${loaded.key}${KEY_SEPARATOR}${index}`, hash, slotOffsetMs },
      };
    });
  }

  private async cancel(rows: readonly { id: string }[]): Promise<number> {
    for (const row of rows) {
      await this.broadcasts.cancel(row.id, SYSTEM_ACTOR);
      // Frees the key for the replacement; the cancelled broadcast stays as history.
      await this.prisma.broadcast.update({ where: { id: row.id }, data: { programmeKey: null } });
    }
    return rows.length;
  }

  private toReport(
    report: CatalogueReport,
    extraErrors: ReadonlyMap<string, ProgrammeFileError[]>,
    broadcasts: ProgrammeSyncReport['broadcasts'],
  ): ProgrammeSyncReport {
    return {
      loadedAt: new Date(),
      files: report.files.map((file) => {
        const errors = [...file.errors, ...(extraErrors.get(path.basename(file.path)) ?? [])];
        return {
          path: file.path,
          status: errors.length > 0 && file.status !== 'invalid' ? 'not applied' : file.status,
          programmes: file.programmes,
          errors: errors.map((error) => ({ ...error, text: formatProgrammeFileError(error) })),
        };
      }),
      broadcasts,
    };
  }
}

/**
 * The programme's hash plus the bytes of its audio files: a recording replaced under the same file
 * name is a change too.
 */
async function contentHash(loaded: LoadedProgramme): Promise<string> {
  const files = await Promise.all(loaded.programme.playlist.map((item) => (item.kind === 'file' ? sha256OfFile(item.file) : '')));
  return sha256OfBuffer([loaded.hash, ...files].join(':'));
}

class ProgrammeResolutionError extends Error {
  constructor(readonly detail: { field: string; message: string }) {
    super(detail.message);
  }
}
