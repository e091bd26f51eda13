import { z } from 'zod';

/**
 * A string schema checked by `test`, whose error message quotes the bad value and states the allowed
 * form — the message a user reads in a `ConfigError`, so it must say what to write instead.
 */
export function grammarSchema(
  what: string,
  allowed: string,
  test: (value: string) => string | undefined,
): z.ZodType<string, string> {
  return z.string({ error: `expected ${what} as a string: ${allowed}` }).superRefine((value, ctx) => {
    const problem = test(value);
    if (problem !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not ${what} (${problem}): ${allowed}`,
      });
    }
  });
}
