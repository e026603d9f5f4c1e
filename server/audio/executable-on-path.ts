/** Finds a program the way a shell would: the first PATH entry holding an executable file of that name. */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export function findExecutableOnPath(name: string, pathVariable: string | undefined = process.env.PATH): string | null {
  if (!pathVariable) return null;
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const directory of pathVariable.split(path.delimiter)) {
    if (!directory) continue;
    for (const candidate of names) {
      const fullPath = path.join(directory, candidate);
      if (isExecutableFile(fullPath)) return fullPath;
    }
  }
  return null;
}

function isExecutableFile(filePath: string): boolean {
  try {
    if (!statSync(filePath).isFile()) return false;
    accessSync(filePath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
