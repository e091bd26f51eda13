import { config } from 'zod';

/**
 * `@kubernaut-e2e/core/schema-mode`: makes zod check values by interpretation instead of compiling a parser for each
 * object schema on its first use. Compiling pays off over many parses; a short-lived process such as one CLI run
 * parses each schema a handful of times, and there it costs more than it saves (about a tenth of a `plan`).
 * Process-wide, and zod decides when a schema is created: call it before importing the packages that define
 * schemas. Results and error messages are the same either way.
 */
export function interpretSchemas(): void {
  config({ jitless: true });
}
