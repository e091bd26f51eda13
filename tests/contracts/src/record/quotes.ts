import type { GoModule } from '../go/module.js';

/** Whitespace runs compare as one space, so gofmt re-aligning a block does not break a quote. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseAt(at: string): { file: string; line: number } | undefined {
  const match = /^(.+):(\d+)$/.exec(at);
  return match ? { file: match[1]!, line: Number(match[2]) } : undefined;
}

export type QuoteLocation =
  | { readonly found: true; readonly at: string; readonly moved: boolean }
  | { readonly found: false; readonly problem: string };

/**
 * Finds `quote` in the file `at` names: on the cited line if it is still there, else on the line nearest to it
 * that holds the quote (the file changed above it). Not found anywhere in the file: kubernaut changed.
 */
export function locateQuote(module: GoModule, at: string, quote: string): QuoteLocation {
  const cited = parseAt(at);
  if (!cited) return { found: false, problem: `'${at}' is not file:line` };
  const wanted = normalizeWhitespace(quote);
  if (wanted === '') return { found: false, problem: 'the quote is empty' };
  let lines: string[];
  try {
    lines = module.lines(cited.file);
  } catch {
    return { found: false, problem: `${cited.file} no longer exists` };
  }
  const holds = (n: number) => normalizeWhitespace(lines[n - 1] ?? '').includes(wanted);
  if (holds(cited.line)) return { found: true, at, moved: false };
  let best: number | undefined;
  for (let n = 1; n <= lines.length; n++)
    if (holds(n) && (best === undefined || Math.abs(n - cited.line) < Math.abs(best - cited.line))) best = n;
  if (best === undefined)
    return { found: false, problem: `the quote \`${quote}\` is no longer in ${cited.file}` };
  return { found: true, at: `${cited.file}:${best}`, moved: true };
}
