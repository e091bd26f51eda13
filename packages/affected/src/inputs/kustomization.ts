import { parse } from 'yaml';
import { dirOf, joinPath, type SourceTree } from '../tree/source-tree.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Fields whose values are local paths (files or directories) a kustomization reads. */
const PATH_LISTS = [
  'resources',
  'bases',
  'components',
  'crds',
  'patchesStrategicMerge',
  'configurations',
  'transformers',
  'generators',
  'validators',
];
const MAX_DEPTH = 16;

/**
 * What a kustomization directory reads outside itself: `resources`, `bases`, `components`, patches, generator files
 * — followed into each directory they name, which may hold another kustomization (`../base`). Remote resources
 * (URLs) are not the repository's. A kustomization that does not parse is a problem the caller reports; a directory
 * without one gives nothing.
 */
export async function kustomizationInputs(
  tree: SourceTree,
  dir: string,
): Promise<{ paths: string[]; problems: string[] }> {
  const paths = new Set<string>();
  const problems: string[] = [];
  const visited = new Set<string>();
  const visit = async (at: string, depth: number): Promise<void> => {
    if (visited.has(at) || depth > MAX_DEPTH) return;
    visited.add(at);
    const file = KUSTOMIZATION_FILES.map((name) => (at === '' ? name : `${at}/${name}`)).find((f) =>
      tree.has(f),
    );
    if (file === undefined) return;
    const text = (await tree.readFiles([file])).get(file) ?? '';
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (error) {
      problems.push(`the kustomization ${file} does not parse (${(error as Error).message.split('\n')[0]})`);
      return;
    }
    for (const reference of referencedPaths(doc)) {
      if (/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\//i.test(reference)) continue;
      const path = joinPath(at, reference);
      if (path === undefined) {
        problems.push(`the kustomization ${file} references ${reference}, outside the repository`);
        continue;
      }
      if (dirOf(path) === at && tree.has(path)) continue; // its own directory is an input already
      paths.add(path);
      await visit(path, depth + 1);
    }
  };
  await visit(dir, 0);
  return { paths: [...paths].filter((p) => p !== dir), problems };
}

function referencedPaths(doc: unknown): string[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const record = doc as Record<string, unknown>;
  const found: string[] = [];
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  for (const field of PATH_LISTS) found.push(...strings(record[field]));
  for (const patch of Array.isArray(record.patches) ? record.patches : [])
    if (typeof patch === 'object' && patch !== null && typeof (patch as { path?: unknown }).path === 'string')
      found.push((patch as { path: string }).path);
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const generator of Array.isArray(record[field]) ? record[field] : []) {
      if (typeof generator !== 'object' || generator === null) continue;
      const g = generator as { files?: unknown; envs?: unknown; env?: unknown };
      for (const entry of strings(g.files))
        found.push(entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry);
      found.push(...strings(g.envs));
      if (typeof g.env === 'string') found.push(g.env);
    }
  }
  return found;
}
