import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * The absolute path `name` resolves to on PATH (like `which`), or `undefined`. A name containing a `/`
 * is checked as a path. Used to report where a tool lives and to skip integration tests cleanly.
 */
export function findExecutable(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  if (name === '') return undefined;
  if (name.includes('/')) return isExecutableFile(name) ? resolve(name) : undefined;
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
