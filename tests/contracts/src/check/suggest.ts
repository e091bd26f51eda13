import { joinPath, type KeyIndex } from './key-index.js';

/** Levenshtein distance (case-sensitive; callers lowercase). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The key a writer most likely meant by `parent.name.rest…` (which is not a key):
 * 1. a sibling of `name` under which `rest` exists (`service.metricsPort` → `server.metricsPort`), nearest in
 *    spelling first;
 * 2. a sibling spelt nearly the same (`listenaddr` → `listenAddr`, `servr` → `server`);
 * 3. the same key elsewhere in the tree (`metricsPort` at the top → `server.metricsPort`).
 */
export function suggestKey(
  index: KeyIndex,
  parent: string,
  name: string,
  rest: readonly string[],
): string | undefined {
  const tail = rest.length === 0 ? '' : `.${rest.join('.')}`;
  const lower = name.toLowerCase();
  const siblings = index
    .childrenOf(parent)
    .filter((s) => s !== name)
    .map((s) => ({ s, d: editDistance(lower, s.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);

  if (rest.length > 0) {
    const structural = siblings.find(({ s }) => index.get(`${joinPath(parent, s)}${tail}`) !== undefined);
    if (structural) return `${joinPath(parent, structural.s)}${tail}`;
  }
  const close = siblings.find(({ d }) => d <= Math.max(2, Math.floor(name.length / 3)));
  if (close) {
    const candidate = `${joinPath(parent, close.s)}${tail}`;
    if (rest.length === 0 || index.get(candidate)) return candidate;
  }
  const wanted = `.${name}${tail}`.toLowerCase();
  const elsewhere = index
    .all()
    .map((k) => k.path)
    .filter((p) => p.toLowerCase().endsWith(wanted) && p !== `${joinPath(parent, name)}${tail}`)
    .sort((a, b) => a.length - b.length);
  return elsewhere[0];
}
