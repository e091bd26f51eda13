// `pnpm lint`'s workflow check: every .github/workflows/*.yml (and .yaml) against GitHub's workflow schema, with
// @action-validator/core (the action-validator CLI's WebAssembly build, from npm: nothing is downloaded at run time).
// Prints each error with its file and path, and exits 1 on any, or when there is no workflow to check.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => join(dir, name));
if (files.length === 0) {
  console.error(`validate-workflows: no workflow in ${relative(root, dir)}`);
  process.exit(1);
}

/**
 * The innermost errors of a schema error: a one_of/any_of error lists each alternative's errors in `states`; the
 * alternative with the fewest is the one the file meant (a job with `runs-on` is not a reusable-workflow call).
 */
function leaves(error) {
  const alternatives = (error.states ?? []).map((state) => (state.errors ?? []).flatMap(leaves));
  if (alternatives.length === 0) return [error];
  return alternatives.reduce((best, next) => (next.length < best.length ? next : best));
}

let failed = 0;
for (const file of files) {
  const { errors } = validateWorkflow(readFileSync(file, 'utf8'));
  if (errors.length === 0) continue;
  failed++;
  const lines = new Set(
    errors.flatMap(leaves).map((e) => `  ${e.path || '/'}: ${e.detail ?? e.title ?? e.code}`),
  );
  console.error(`${relative(root, file)}: not a valid GitHub workflow\n${[...lines].join('\n')}`);
}
if (failed > 0) process.exit(1);
console.log(
  `validate-workflows: ${files.length} workflows valid (${files.map((f) => relative(dir, f)).join(', ')})`,
);
