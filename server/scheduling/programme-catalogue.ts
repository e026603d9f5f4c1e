/**
 * The programmes declared in `schedules/*.yaml|yml|json`, loaded and validated on demand.
 *
 * Each file is all-or-nothing and keeps its last valid version: a file saved half-way through an edit,
 * or with one typo, is reported and the programmes it held before stay in force, so a mistake in the
 * morning bulletin's file never silences a commune. A deleted file's programmes disappear. The
 * catalogue only reads files; turning programmes into schedules, rendering text and resolving areas
 * and bulletins is the server's job, driven by the report (keys and hashes say what changed).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { audioPathProblem, normaliseAudioPath, programmeFileSchema, type PlaylistItem, type Programme } from './programme-file-schema.js';
import { friendlyErrorMap, issueToErrors, type ProgrammeFileError } from './programme-file-issues.js';
import { decodeProgrammeFile, parseProgrammeSource, sourceFormatOf, type ProgrammeSource } from './programme-file-source.js';

export { formatProgrammeFileError, type ProgrammeFileError } from './programme-file-issues.js';

/** A programme file is a page of YAML; anything this large is a mistake (a recording saved as .yaml). */
export const MAX_PROGRAMME_FILE_BYTES = 2 * 1024 * 1024;

export interface ProgrammeCatalogueOptions {
  /** The schedules folder; report paths are built from it as given (`schedules` → `schedules/x.yaml`). */
  readonly dir: string;
  /** Whether the audio file at this absolute path exists; defaults to "is a regular file". */
  readonly fileExists?: (absolutePath: string) => boolean | Promise<boolean>;
}

export type ProgrammeFileStatus = 'loaded' | 'unchanged' | 'invalid' | 'removed';

export interface ProgrammeFileReport {
  readonly path: string;
  /**
   * loaded: valid, and its programmes differ from the version in force before (or it is new);
   * unchanged: valid, same programmes and hashes as before (comments or layout may have changed);
   * invalid: see `errors`; the previous valid version, if any, stays in force;
   * removed: the file is gone, and so are its programmes.
   */
  readonly status: ProgrammeFileStatus;
  /** How many of this file's programmes are in force after this load. */
  readonly programmes: number;
  readonly errors: readonly ProgrammeFileError[];
}

/** A file playlist item with its path resolved against the schedules folder. */
export type ResolvedPlaylistItem = Exclude<PlaylistItem, { kind: 'file' }> | { kind: 'file'; /** absolute path */ file: string; title?: string };
export type ResolvedProgramme = Omit<Programme, 'playlist'> & { readonly playlist: readonly ResolvedPlaylistItem[] };

export interface LoadedProgramme {
  /** `<file name>#<id>`, e.g. `xa-van-son.yaml#ban-tin-sang`; stable while the file and id keep their names. */
  readonly key: string;
  /** The programme file, as in the report. */
  readonly path: string;
  /** Position in the file's list, so later errors can name `programmes.<index>.areas.0` like validation does. */
  readonly index: number;
  /**
   * sha256 (hex) of the canonical JSON (sorted keys) of the validated programme, defaults filled and
   * audio paths relative to the schedules folder, so it does not change when the folder moves. It does
   * not cover the bytes of audio files: a new recording under the same name keeps the hash.
   */
  readonly hash: string;
  readonly programme: ResolvedProgramme;
}

export interface CatalogueReport {
  /** Every programme file seen now, plus those removed since the last load; sorted by path. */
  readonly files: readonly ProgrammeFileReport[];
  /** Every programme in force, sorted by file then by position in the file. Disabled ones included. */
  readonly programmes: readonly LoadedProgramme[];
}

/** What the server must do to move from `before` to `after` (e.g. two reports' `programmes`). */
export interface ProgrammeChanges {
  readonly added: readonly LoadedProgramme[];
  readonly changed: readonly LoadedProgramme[];
  readonly removed: readonly LoadedProgramme[];
}

export function diffProgrammes(before: readonly LoadedProgramme[], after: readonly LoadedProgramme[]): ProgrammeChanges {
  const old = new Map(before.map((p) => [p.key, p]));
  const now = new Set(after.map((p) => p.key));
  return {
    added: after.filter((p) => !old.has(p.key)),
    changed: after.filter((p) => old.has(p.key) && old.get(p.key)?.hash !== p.hash),
    removed: before.filter((p) => !now.has(p.key)),
  };
}

/** JSON with object keys sorted at every level and undefined members dropped: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const programmeHash = (programme: Programme): string => createHash('sha256').update(canonicalJson(programme)).digest('hex');

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

const isRegularFile = async (absolutePath: string): Promise<boolean> => {
  try {
    return (await stat(absolutePath)).isFile();
  } catch {
    return false;
  }
};

const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

interface FileState {
  /** The version in force (empty if the file never validated). */
  readonly programmes: readonly LoadedProgramme[];
  /** Whether that version came from a valid read (false while a new file has only ever been invalid). */
  readonly valid: boolean;
}

type FileOutcome = { kind: 'valid'; programmes: LoadedProgramme[] } | { kind: 'invalid'; errors: ProgrammeFileError[] } | { kind: 'gone' };

export class ProgrammeCatalogue {
  readonly #dir: string;
  readonly #fileExists: (absolutePath: string) => boolean | Promise<boolean>;
  readonly #files = new Map<string, FileState>();
  /** Loads run one at a time: a file watcher and an HTTP "reload" may ask together. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ProgrammeCatalogueOptions) {
    this.#dir = options.dir;
    this.#fileExists = options.fileExists ?? isRegularFile;
  }

  /** The programmes in force after the last load, without reading the folder. */
  async programmes(): Promise<readonly LoadedProgramme[]> {
    await this.#queue.catch(() => undefined);
    return [...this.#files.keys()].sort().flatMap((name) => this.#files.get(name)?.programmes ?? []);
  }

  /**
   * Reads every programme file in the folder (not its subfolders) and updates the catalogue.
   * Throws, changing nothing, if the folder itself cannot be read: a missing mount must not look like
   * every file was deleted.
   */
  load(): Promise<CatalogueReport> {
    const run = this.#queue.catch(() => undefined).then(() => this.#load());
    this.#queue = run;
    return run;
  }

  async #load(): Promise<CatalogueReport> {
    const names = await this.#listFiles();
    const files: ProgrammeFileReport[] = [];
    const seen = new Set<string>();

    for (const name of names) {
      const filePath = path.join(this.#dir, name);
      const outcome = await this.#readFile(name, filePath);
      const before = this.#files.get(name);
      if (outcome.kind === 'gone') continue; // deleted between readdir and read: handled as removed below
      seen.add(name);
      if (outcome.kind === 'invalid') {
        const kept = before?.programmes ?? [];
        this.#files.set(name, { programmes: kept, valid: before?.valid ?? false });
        files.push({ path: filePath, status: 'invalid', programmes: kept.length, errors: outcome.errors });
        continue;
      }
      const same =
        before !== undefined &&
        before.valid &&
        before.programmes.length === outcome.programmes.length &&
        before.programmes.every((p, i) => p.key === outcome.programmes[i]?.key && p.hash === outcome.programmes[i]?.hash);
      // Unchanged files keep their objects, so consumers can compare by identity as well as by hash.
      this.#files.set(name, { programmes: same ? before.programmes : outcome.programmes, valid: true });
      files.push({ path: filePath, status: same ? 'unchanged' : 'loaded', programmes: outcome.programmes.length, errors: [] });
    }

    for (const name of [...this.#files.keys()]) {
      if (seen.has(name)) continue;
      this.#files.delete(name);
      files.push({ path: path.join(this.#dir, name), status: 'removed', programmes: 0, errors: [] });
    }

    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const programmes = [...this.#files.keys()].sort().flatMap((name) => this.#files.get(name)?.programmes ?? []);
    return { files, programmes };
  }

  async #listFiles(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.#dir, { withFileTypes: true });
    } catch (error) {
      throw new Error(`cannot read the programme folder ${this.#dir}: ${(error as Error).message}`, { cause: error });
    }
    const names: string[] = [];
    for (const entry of entries) {
      // Dot files are editor locks and backups (.#x.yaml from Emacs, ._x.yaml from macOS).
      if (entry.name.startsWith('.') || sourceFormatOf(entry.name) === undefined) continue;
      if (entry.isFile() || (entry.isSymbolicLink() && (await isRegularFile(path.join(this.#dir, entry.name))))) names.push(entry.name);
    }
    return names.sort();
  }

  async #readFile(name: string, filePath: string): Promise<FileOutcome> {
    const fileError = (message: string, line?: number): FileOutcome => ({
      kind: 'invalid',
      errors: [{ path: filePath, field: '', ...(line === undefined ? {} : { line }), message }],
    });
    let bytes: Buffer;
    try {
      const info = await stat(filePath);
      if (info.size > MAX_PROGRAMME_FILE_BYTES) return fileError(`the file is ${info.size} bytes; programme files are limited to ${MAX_PROGRAMME_FILE_BYTES} bytes`);
      bytes = await readFile(filePath);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return { kind: 'gone' };
      return fileError(`cannot read the file: ${(error as Error).message}`);
    }

    const decoded = decodeProgrammeFile(bytes);
    if (!decoded.ok) return fileError(decoded.problem.message, decoded.problem.line);
    const parsed = parseProgrammeSource(decoded.text, sourceFormatOf(name) ?? 'yaml');
    if (!parsed.ok) return { kind: 'invalid', errors: parsed.problems.map((p) => ({ path: filePath, field: '', ...(p.line === undefined ? {} : { line: p.line }), message: p.message })) };
    return this.#validate(name, filePath, parsed.source);
  }

  async #validate(name: string, filePath: string, source: ProgrammeSource): Promise<FileOutcome> {
    const result = programmeFileSchema.safeParse(source.value, { error: friendlyErrorMap });
    const errors = result.success ? [] : result.error.issues.flatMap((issue) => issueToErrors(issue, programmeFileSchema, filePath, source.lineOf));
    // Audio files are checked on the raw value too, so one pass reports a missing file next to a bad time.
    errors.push(...(await this.#missingAudio(filePath, source)));
    if (errors.length > 0 || !result.success) {
      errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      return { kind: 'invalid', errors };
    }
    const programmes = result.data.programmes.map((programme, index) =>
      deepFreeze({
        key: `${name}#${programme.id}`,
        path: filePath,
        index,
        hash: programmeHash(programme),
        programme: { ...programme, playlist: programme.playlist.map((item) => this.#resolve(item)) },
      }),
    );
    return { kind: 'valid', programmes };
  }

  #resolve(item: PlaylistItem): ResolvedPlaylistItem {
    return item.kind === 'file' ? { ...item, file: path.resolve(this.#dir, item.file) } : item;
  }

  async #missingAudio(filePath: string, source: ProgrammeSource): Promise<ProgrammeFileError[]> {
    const errors: ProgrammeFileError[] = [];
    const programmes = (source.value as { programmes?: unknown } | null)?.programmes;
    if (!Array.isArray(programmes)) return errors;
    for (const [p, programme] of programmes.entries()) {
      const playlist = (programme as { playlist?: unknown } | null)?.playlist;
      if (!Array.isArray(playlist)) continue;
      for (const [i, item] of playlist.entries()) {
        const file = (item as { file?: unknown } | null)?.file;
        if (typeof file !== 'string' || audioPathProblem(file) !== undefined) continue;
        const relative = normaliseAudioPath(file);
        let message = `audio file not found: ${path.join(this.#dir, relative)} (paths are relative to the ${this.#dir} folder)`;
        try {
          if (await this.#fileExists(path.resolve(this.#dir, relative))) continue;
        } catch (error) {
          message = `cannot check the audio file ${path.join(this.#dir, relative)}: ${(error as Error).message}`;
        }
        const fieldPath = ['programmes', p, 'playlist', i, 'file'];
        const line = source.lineOf(fieldPath);
        errors.push({ path: filePath, field: fieldPath.join('.'), ...(line === undefined ? {} : { line }), message });
      }
    }
    return errors;
  }
}
