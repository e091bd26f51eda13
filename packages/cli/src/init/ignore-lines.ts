import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** `/node_modules/`, `**\/node_modules`, `node_modules` → `node_modules`: what a line ignores at the root. */
function normalized(line: string): string {
  return line
    .trim()
    .replace(/^(\*\*\/|\/)/, '')
    .replace(/\/$/, '');
}

/** The lines of `wanted` an ignore file's text does not already have (in any of their equivalent spellings). */
export function missingLines(text: string, wanted: readonly string[]): string[] {
  const present = new Set(text.split(/\r?\n/).map(normalized));
  // `*` ignores everything (an allow-list file names what it keeps with `!`).
  if (present.has('*') || present.has('**')) return [];
  return wanted.filter((line) => !present.has(normalized(line)));
}

/**
 * Appends the lines `file` lacks under a comment naming kubernaut-e2e, creating the file when it is missing; never
 * duplicates a line, and keeps a last line that had no newline intact. Returns the lines it added.
 */
export function appendIgnoreLines(file: string, wanted: readonly string[]): string[] {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const missing = missingLines(text, wanted);
  if (missing.length === 0) return [];
  const separator = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  writeFileSync(
    file,
    `${text}${separator}# kubernaut-e2e (written by kubernaut-e2e init)\n${missing.join('\n')}\n`,
  );
  return missing;
}
