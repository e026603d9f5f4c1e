/** A private scratch directory for one job, removed afterwards whatever happens. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

export async function withTempDir<T>(parent: string, prefix: string, job: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, `${prefix}-`));
  try {
    return await job(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
