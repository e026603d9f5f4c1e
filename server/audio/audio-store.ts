/**
 * Content-addressed audio files: `<dir>/<sha256>.<ext>`. A name is its content, so files are
 * immutable, writes are idempotent, and receivers can verify what they downloaded.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SHA256_HEX, sha256OfFile } from './sha256.js';

export interface StoredAudio {
  readonly sha256: string;
  readonly bytes: number;
  readonly path: string;
}

export interface LocatedAudio {
  readonly path: string;
  readonly bytes: number;
  readonly mime: string;
}

/** What the store will hold; the HTTP route accepts the same extensions. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze({
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
});

export class AudioStore {
  constructor(readonly dir: string) {}

  /**
   * Adds a file under its hash and returns where it lives. The source is moved when it is on the
   * same file system (else copied) and is gone afterwards either way.
   */
  async put(sourceFile: string, { mime, extension }: { mime: string; extension: string }): Promise<StoredAudio> {
    if (MIME_BY_EXTENSION[extension] !== mime) throw new Error(`the store keeps ${describeKinds()}, not ${mime} as .${extension}`);
    await mkdir(this.dir, { recursive: true });
    const sha256 = await sha256OfFile(sourceFile);
    const target = path.join(this.dir, `${sha256}.${extension}`);
    const existing = await sizeOf(target);
    if (existing === null) {
      await this.moveIntoPlace(sourceFile, target);
    } else {
      await rm(sourceFile, { force: true });
    }
    return { sha256, bytes: existing ?? (await stat(target)).size, path: target };
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.locate(sha256)) !== null;
  }

  async locate(sha256: string): Promise<LocatedAudio | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    for (const [extension, mime] of Object.entries(MIME_BY_EXTENSION)) {
      const filePath = path.join(this.dir, `${sha256}.${extension}`);
      const bytes = await sizeOf(filePath);
      if (bytes !== null) return { path: filePath, bytes, mime };
    }
    return null;
  }

  /** Rename is atomic within a file system, so a reader never sees a half-written file under a real name. */
  private async moveIntoPlace(sourceFile: string, target: string): Promise<void> {
    try {
      await rename(sourceFile, target);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
    const staging = path.join(this.dir, `.incoming-${randomUUID()}`);
    try {
      await copyFile(sourceFile, staging);
      await rename(staging, target);
      await rm(sourceFile, { force: true });
    } finally {
      await rm(staging, { force: true });
    }
  }
}

async function sizeOf(filePath: string): Promise<number | null> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function describeKinds(): string {
  return Object.entries(MIME_BY_EXTENSION)
    .map(([extension, mime]) => `${mime} (.${extension})`)
    .join(', ');
}
