import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';

/** `['images', 0, 'dockerfilePath']` → `images[0].dockerfilePath`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * Validates `value` with `schema` and returns the parsed value, or throws one `ConfigError` listing every
 * bad field by path (e.g. `images[0].dockerfilePath`) and what is allowed there. Call it before any
 * command runs, so bad input never leaves half-built state behind.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(configIssues(result.error), { subject, cause: result.error });
}

/** zod's issues as `ConfigIssue`s; an unknown field is named by its own path, one issue per field. */
export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatIssuePath([...issue.path, key]),
          message: `unknown field "${key}"; check its spelling and where it sits`,
        }))
      : [{ path: formatIssuePath(issue.path), message: issue.message }],
  );
}
