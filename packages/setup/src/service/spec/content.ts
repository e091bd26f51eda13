import { z } from 'zod';
import { fn, relativePath } from './common.js';
import type { RunContext } from './run-context.js';

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/**
 * The content of one file in a ConfigMap or Secret:
 * - `{ yaml }`: an object (or a function of the run returning one) rendered as YAML — a config file with the keys
 *   the binary reads;
 * - `{ text }`: text as it is (or a function of the run returning it);
 * - `{ file }`: a repository file relative to the project root, as it is, or, for a YAML file, with `set` values
 *   written over it by dotted key path (`{ 'datastorage.url': run => run.url('datastorage') }`).
 */
export const contentSchema = z.union([
  z.strictObject({
    yaml: z.union([
      z.record(z.string(), z.unknown()),
      fn<(run: RunContext) => Record<string, Json | undefined>>(),
    ]),
  }),
  z.strictObject({ text: z.union([z.string(), fn<(run: RunContext) => string>()]) }),
  z.strictObject({
    file: relativePath,
    set: z
      .record(
        z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a dotted key path such as datastorage.url'),
        z.union([z.unknown(), fn<(run: RunContext) => Json>()]),
      )
      .optional(),
  }),
]);
export type ContentSpec = z.input<typeof contentSchema>;

/** File name → content, as a ConfigMap's or Secret's keys. */
export const filesSchema = z
  .record(
    z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a ConfigMap/Secret key is letters, digits, "-", "_" and "."'),
    contentSchema,
  )
  .refine((files) => Object.keys(files).length > 0, 'at least one file');
