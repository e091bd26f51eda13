import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '@kubernaut-e2e/core';
import { glob, isDynamicPattern } from 'tinyglobby';

const YAML_FILE = /\.ya?ml$/;

/**
 * Turns CRD sources into the CRD files they name, relative to `projectRoot` (absolute sources are used
 * as they are). A source is
 *
 * - a file: `config/crd/bases/kubernaut.ai_remediationrequests.yaml`;
 * - a directory: every `*.yaml` / `*.yml` directly in it, sorted by name — like `kubectl apply -f
 *   config/crd/bases/`, which kubernaut's suites run, it does not descend into subdirectories;
 * - a glob: `config/crd/bases/kubernaut.ai_*.yaml` (matches sorted by path).
 *
 * Files come back absolute, in source order; a file named twice (a single CRD, then its whole
 * directory) is kept once, where it first appears. Every problem is refused up front, together, in one
 * `ConfigError` naming `sources[i]`: a missing file or directory (with its path), an empty directory, a
 * glob that matches nothing. Feed the result to `readCrdFiles` or `installCRDs`.
 */
export async function resolveCrdSources(projectRoot: string, sources: readonly string[]): Promise<string[]> {
  const root = resolve(projectRoot);
  const issues: ConfigIssue[] = [];
  const files: string[] = [];
  for (const [i, source] of sources.entries()) {
    const path = `sources[${i}]`;
    if (source.trim() === '') {
      issues.push({ path, message: 'a CRD source must be a file, a directory or a glob, not empty' });
      continue;
    }
    const found = isDynamicPattern(source)
      ? await fromGlob(root, source)
      : await fromPath(resolve(root, source));
    if ('problem' in found) issues.push({ path, message: found.problem });
    else files.push(...found.files);
  }
  if (sources.length === 0) issues.push({ path: 'sources', message: 'no CRD source was given' });
  if (issues.length > 0) throw new ConfigError(issues, { subject: `CRD sources (project root ${root})` });
  return [...new Set(files)];
}

type Found = { files: string[] } | { problem: string };

async function fromGlob(root: string, pattern: string): Promise<Found> {
  const matches = await glob(pattern, {
    cwd: root,
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
  });
  if (matches.length === 0) return { problem: `glob "${pattern}" matched no file under ${root}` };
  return { files: matches.map((m) => resolve(m)).sort() };
}

async function fromPath(absolute: string): Promise<Found> {
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const code = (info as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'ENOENT'
          ? `CRD file or directory ${absolute} does not exist`
          : `CRD source ${absolute} cannot be read (${code})`,
    };
  }
  if (!info.isDirectory()) return { files: [absolute] };
  const entries = await readdir(absolute, { withFileTypes: true });
  const yaml = entries
    .filter((e) => YAML_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink()))
    .map((e) => e.name)
    .sort();
  if (yaml.length === 0) return { problem: `directory ${absolute} has no *.yaml or *.yml file` };
  return { files: yaml.map((name) => join(absolute, name)) };
}
