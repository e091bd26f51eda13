import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';

/** True when `path` (absolute) is `root` itself or lies below it. Lexical: symlinks are not followed. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * A path, relative to `root` or absolute, that must resolve inside `root` (e.g. a Dockerfile inside the
 * project). Parses to the ABSOLUTE resolved path, so callers never resolve it again against another base.
 */
export function pathInsideRoot(root: string): z.ZodType<string, string> {
  const base = resolve(root);
  return z
    .string({ error: `expected a path (relative to ${base}, or absolute inside it)` })
    .superRefine((value, ctx) => {
      if (value.trim() === '') {
        ctx.addIssue({ code: 'custom', message: `the path is empty: give a path inside ${base}` });
      } else if (value.includes('\0')) {
        ctx.addIssue({ code: 'custom', message: 'the path contains a NUL byte' });
      } else if (!isInside(base, resolve(base, value))) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} resolves to ${resolve(base, value)}, outside ${base}: use a path inside the project root`,
        });
      }
    })
    .transform((value) => resolve(base, value));
}
