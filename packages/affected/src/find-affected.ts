import { relative, resolve, sep } from 'node:path';
import { type CommandRunner, ConfigError } from '@kubernaut-e2e/core';
import type { AffectedAnalysis, ChangeForEverySuite } from './affected.js';
import { analyzeTree, type SuiteDeclaration, type TreeAnalysisOptions } from './analyze-tree.js';
import { changedSince } from './git/changed-files.js';
import { type GitRepository, openGitRepository, projectPath, resolveCommit } from './git/git-repository.js';
import { workingTree } from './tree/working-tree.js';

/** Refs tried, in order, when `since` is not given: the remote's default branch, then the usual names. */
export const DEFAULT_SINCE_REFS = ['origin/HEAD', 'origin/main', 'main', 'origin/master', 'master'] as const;

export interface FindAffectedOptions extends TreeAnalysisOptions {
  /** Runs git (read-only: rev-parse, merge-base, diff, ls-files). */
  readonly runner: CommandRunner;
  /** The project root (the kubernaut checkout); it must be inside a git repository. */
  readonly projectRoot: string;
  readonly suites: readonly SuiteDeclaration[];
  /** Compare with this ref (the branch's merge base with it); default: the first of `DEFAULT_SINCE_REFS` that exists. */
  readonly since?: string;
  /** The project config file: a change to it (or beside it, outside the project root) reaches every suite. */
  readonly configFile?: string;
}

export interface AffectedReport extends AffectedAnalysis {
  /** The ref compared with, as given or chosen. */
  readonly since: string;
  /** The merge base of `since` and HEAD: committed changes are measured from it. */
  readonly base: string;
  /** Changed files relative to the repository's top level (committed since `base`, and uncommitted). */
  readonly changedFiles: readonly string[];
  readonly uncommitted: number;
}

/**
 * The suites a branch's changes can break: files changed since its merge base with `since` plus uncommitted ones,
 * against the inputs of each suite in the working tree as it is now (the tree CI builds).
 */
export async function findAffectedSuites(options: FindAffectedOptions): Promise<AffectedReport> {
  const repo = await openGitRepository(options.runner, options.projectRoot);
  const since = options.since ?? (await defaultSince(repo));
  const commit = await resolveCommit(repo, since, '--since');
  const changed = await changedSince(repo, commit);
  const inProject: string[] = [];
  const outside: string[] = [];
  const everySuite: ChangeForEverySuite[] = [];
  const config = options.configFile === undefined ? undefined : repoRelative(repo, options.configFile);
  for (const file of changed.files) {
    const path = projectPath(repo, file);
    if (file === config) everySuite.push({ file, why: 'the project config, which declares every suite' });
    else if (path !== undefined) inProject.push(path);
    else if (config !== undefined && isBeside(file, config))
      everySuite.push({
        file,
        why: 'beside the project config, outside the project root: the config may import it',
      });
    else outside.push(file);
  }
  const analysis = await analyzeTree(
    workingTree(options.projectRoot),
    options.suites,
    inProject,
    everySuite,
    options,
  );
  // Paths as git prints them (relative to the repository's top level), whether inside the project root or not.
  const inRepo = (file: string) => (everySuite.some((e) => e.file === file) ? file : `${repo.prefix}${file}`);
  const files = [
    ...analysis.files.map((f) => ({ ...f, file: inRepo(f.file) })),
    ...outside.map((file) => ({ file, suites: [], why: 'outside the project root' })),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const suites = analysis.suites.map((s) =>
    s.reason?.file === undefined ? s : { ...s, reason: { ...s.reason, file: inRepo(s.reason.file) } },
  );
  const notes =
    options.configFile !== undefined && config === undefined
      ? [
          `the project config ${options.configFile} is outside this repository: its changes are not seen`,
          ...analysis.notes,
        ]
      : analysis.notes;
  return {
    suites,
    files,
    notes,
    since,
    base: changed.base,
    changedFiles: changed.files,
    uncommitted: changed.uncommitted,
  };
}

async function defaultSince(repo: GitRepository): Promise<string> {
  for (const ref of DEFAULT_SINCE_REFS) {
    const found = await resolveCommit(repo, ref, '--since').then(
      () => true,
      () => false,
    );
    if (found) return ref;
  }
  throw ConfigError.field(
    '--since',
    `none of ${DEFAULT_SINCE_REFS.join(', ')} exists in ${repo.toplevel}; give the ref to compare with, e.g. --since origin/main`,
    'affected',
  );
}

/** A path relative to the repository's top level, or undefined when it is outside the repository. */
function repoRelative(repo: GitRepository, path: string): string | undefined {
  const rel = relative(repo.toplevel, resolve(path));
  return rel.startsWith('..') || rel === '' ? undefined : rel.split(sep).join('/');
}

/** True when `file` is in the config file's directory or below it (repository-relative paths). */
function isBeside(file: string, config: string): boolean {
  const dir = config.includes('/') ? config.slice(0, config.lastIndexOf('/')) : '';
  return dir === '' || file.startsWith(`${dir}/`);
}
