import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A link written in a Markdown file: where it points and the line it is on. */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

/** A link that does not resolve, and why. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

const FENCE = /^\s*(```|~~~)/;
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
const INLINE_CODE = /`[^`\n]*`/g;

/** Lines outside fenced code blocks, with inline code blanked out: links shown as code are not links. */
function proseLines(text: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fenced = false;
  text.split('\n').forEach((raw, index) => {
    if (FENCE.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (!fenced)
      lines.push({ text: raw.replace(INLINE_CODE, (code) => ' '.repeat(code.length)), line: index + 1 });
  });
  return lines;
}

/** Every inline link, image and reference definition of a Markdown text, outside code. */
export function markdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text: prose, line } of proseLines(text)) {
    for (const match of prose.matchAll(INLINE_LINK)) links.push({ target: match[1]!, line });
    const definition = REFERENCE_DEFINITION.exec(prose);
    if (definition) links.push({ target: definition[1]!, line });
  }
  return links;
}

/**
 * GitHub's anchor for a heading: lower case, inline Markdown dropped, every character that is not a letter, digit,
 * `_`, `-` or space removed, spaces turned into `-`. A repeated heading gets `-1`, `-2`, … as GitHub numbers them.
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const raw of text.split('\n')) {
    if (FENCE.test(raw)) {
      fenced = !fenced;
      continue;
    }
    const heading = fenced ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!heading) continue;
    const slug = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * The links of `file` that do not resolve: a relative path that names nothing in the repository, or an anchor that
 * is no heading of the file it points into (a directory's anchor points into its README.md). External links
 * (`https:`, `mailto:`, …) are not checked.
 */
export function brokenLinks(file: string, root: string): BrokenLink[] {
  const text = readFileSync(file, 'utf8');
  const broken: BrokenLink[] = [];
  const report = (link: MarkdownLink, problem: string) =>
    broken.push({ file: relative(root, file), line: link.line, target: link.target, problem });
  for (const link of markdownLinks(text)) {
    if (isExternal(link.target)) continue;
    const [rawPath = '', anchor] = link.target.split('#', 2) as [string, string | undefined];
    const path = decodeURIComponent(rawPath);
    let into = file;
    if (path !== '') {
      const resolved = path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        report(link, `${relative(root, resolved) || '.'} does not exist`);
        continue;
      }
      into = statSync(resolved).isDirectory() ? join(resolved, 'README.md') : resolved;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!into.endsWith('.md') || !existsSync(into)) {
      report(link, `#${anchor} points into ${relative(root, into)}, which is no Markdown file`);
      continue;
    }
    if (!headingAnchors(readFileSync(into, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) {
      report(link, `${relative(root, into)} has no heading #${anchor}`);
    }
  }
  return broken;
}

/** The Markdown files the docs are made of: README.md, docs/**, each workspace package's and example's README.md. */
export function documentationFiles(root: string): string[] {
  const files = [join(root, 'README.md')];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(root, 'docs'));
  for (const group of ['packages', 'services', 'tests', 'examples']) {
    if (!existsSync(join(root, group))) continue;
    for (const dir of readdirSync(join(root, group)).sort()) {
      const readme = join(root, group, dir, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}
