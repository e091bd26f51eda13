import { ConfigError, type ConfigIssue, formatIssuePath } from '@kubernaut-e2e/core';
import type { z } from 'zod';

/**
 * zod's issues as `ConfigIssue`s, with one difference from core's `parseInput`: an unknown key is
 * reported at its own path (`nodes[0].extraPortMapping`), not at the object holding it. kind decodes
 * its config strictly (yaml `KnownFields(true)`), so a misspelt field is the most common mistake in a
 * hand-written kind config, and the message should point at it.
 */
export function fieldIssues(error: z.ZodError, options: FieldIssueOptions = {}): ConfigIssue[] {
  const at = (path: readonly PropertyKey[], message: string): ConfigIssue => {
    const where = options.locate?.(path);
    return { path: formatIssuePath(path), message: where ? `${message} (${where})` : message };
  };
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        at(
          [...issue.path, key],
          `unknown field "${key}" (kind refuses fields its config does not define; check the spelling)`,
        ),
      );
    }
    return [at(issue.path, issue.message)];
  });
}

export interface FieldIssueOptions {
  /** Where a field sits in its source, e.g. `line 14, column 5`, appended to the message. */
  readonly locate?: (path: readonly PropertyKey[]) => string | undefined;
}

/** Like core's `parseInput`, reporting unknown fields by their own path (see `fieldIssues`). */
export function parseWithFieldPaths<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(fieldIssues(result.error), { subject, cause: result.error });
}
