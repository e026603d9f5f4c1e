/** Keeps figures measured by a test run (start skew, takeover time) for closing notes and the changelog. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function recordMeasurement(name: string, value: unknown): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../../.test-tmp/measurements');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}-${Date.now()}.json`), JSON.stringify(value));
}
