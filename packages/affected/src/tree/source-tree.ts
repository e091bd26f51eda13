/**
 * The files of a project at one point: the working tree on disk, or one commit of its git history. Paths are POSIX,
 * relative to the project root.
 */
export interface SourceTree {
  /** Where the files come from, for messages: a directory, or `<commit> of <directory>`. */
  readonly description: string;
  /** Every file, sorted. */
  readonly files: readonly string[];
  /** True when `path` is a file of the tree. */
  has(path: string): boolean;
  /**
   * A stable id of the file's content (its git blob id) so work on it can be reused across commits; undefined when
   * the tree has none (the working tree).
   */
  contentId(path: string): string | undefined;
  /** The text of each of `paths` that is a file of the tree; the others are left out. */
  readFiles(paths: readonly string[]): Promise<Map<string, string>>;
}

/** `a/b/c.go` → `a/b`; a file at the root → `''`. */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `dir` joined with a relative POSIX path, normalized (`.`, `..`, duplicate slashes); undefined when it leaves the root. */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts: string[] = dir === '' ? [] : dir.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** True when `path` is `prefix` or below it (`prefix` a directory or a file; `''` is the root). */
export function isAtOrBelow(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}
