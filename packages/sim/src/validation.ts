import { ConfigError } from '@kubernaut-e2e/core';
import type { z } from 'zod';

/** Parses `value` or throws a `ConfigError` that names every offending field path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      path: issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join(''),
      message: issue.message,
    })),
    { subject },
  );
}
