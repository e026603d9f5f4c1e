/**
 * Crash-safe small-file writes: write a temp file, fsync it, rename over the target, fsync the
 * directory. A reader sees either the old or the new content, never a torn file (rename(2) is
 * atomic within a file system; the directory fsync makes the rename itself durable).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export const TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `${TEMP_PREFIX}${path.basename(file)}-${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  await syncDir(dir);
}

/** fsync on a directory: makes a rename or unlink durable. Some file systems refuse it; that is not fatal. */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on some platforms and file systems: best effort.
  } finally {
    await handle?.close().catch(() => {});
  }
}
