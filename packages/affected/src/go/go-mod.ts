/** What `affected` reads from `go.mod`: the module path, and `replace` directives that point into the repository. */
export interface GoMod {
  /** The `module` line's path, e.g. `github.com/jordigilh/kubernaut`; undefined when go.mod has none. */
  readonly module: string | undefined;
  /** `replace <module path> => ./dir`: imports of that module (and below) are the directory's packages. */
  readonly localReplaces: readonly { readonly modulePath: string; readonly dir: string }[];
}

/**
 * Parses go.mod's `module` and `replace` directives (single lines and blocks). A replacement with a relative path is
 * kept with its directory relative to the go.mod; one with a version or an absolute path is a module download, which
 * go.mod/go.sum already stand for.
 */
export function parseGoMod(text: string): GoMod {
  let module: string | undefined;
  const localReplaces: { modulePath: string; dir: string }[] = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block !== undefined) {
      if (line === ')') block = undefined;
      else if (block === 'replace') addReplace(line, localReplaces);
      continue;
    }
    const directive = /^(\w+)\s*(.*)$/.exec(line);
    if (!directive) continue;
    const [, verb, rest] = directive as unknown as [string, string, string];
    if (rest === '(') {
      block = verb;
      continue;
    }
    if (verb === 'module') module = unquote(rest.trim());
    else if (verb === 'replace') addReplace(rest, localReplaces);
  }
  return { module, localReplaces };
}

function addReplace(line: string, into: { modulePath: string; dir: string }[]): void {
  const [left, right] = line.split('=>').map((s) => s.trim());
  if (left === undefined || right === undefined) return;
  const modulePath = unquote(left.split(/\s+/)[0]!);
  const target = right.split(/\s+/);
  const path = unquote(target[0]!);
  if (target.length === 1 && (path.startsWith('./') || path.startsWith('../') || path === '.')) {
    into.push({ modulePath, dir: path });
  }
}

function unquote(value: string): string {
  return /^["`].*["`]$/.test(value) ? value.slice(1, -1) : value;
}
