import type { CommandRunner } from '@kubernaut-e2e/core';
import type { AffectedAnalysis } from './affected.js';
import { analyzeTree, type SuiteDeclaration } from './analyze-tree.js';
import { changedBy } from './git/changed-files.js';
import { type BlobTexts, commitTree } from './git/commit-tree.js';
import { git, openGitRepository, resolveCommit } from './git/git-repository.js';
import type { GoParseCache } from './go/go-packages.js';
import type { TestLayout } from './inputs/suite-inputs.js';

export interface ReplayOptions {
  readonly runner: CommandRunner;
  /** A clone to read history from; only read (`git log`, `ls-tree`, `cat-file`, `diff`), never checked out. */
  readonly checkout: string;
  readonly suites: readonly SuiteDeclaration[];
  /** The newest commit to replay; default HEAD. */
  readonly ref?: string;
  /** How many first-parent commits, newest first from `ref`; default 50. */
  readonly commits?: number;
  readonly layout?: TestLayout;
}

export interface ReplayedCommit {
  readonly commit: string;
  /** Its first parent: the change is the diff from there (for a merge, the whole merged branch). */
  readonly parent: string;
  readonly subject: string;
  readonly changedFiles: readonly string[];
  readonly analysis: AffectedAnalysis;
}

/**
 * Replays a range of first-parent commits (one per merged pull request on a merge-based main branch, which is what
 * CI runs the suites for) and, for each, which suites its change selects. Each commit is analyzed against its own
 * tree, read from git objects — the import graph, Dockerfiles and kustomizations as they were at that commit, not
 * today's — with parsed Go files shared between commits by blob id, so each version of a file is read once. Oldest
 * first.
 */
export async function* replayHistory(options: ReplayOptions): AsyncGenerator<ReplayedCommit> {
  const repo = await openGitRepository(options.runner, options.checkout);
  const head = await resolveCommit(repo, options.ref ?? 'HEAD', 'ref');
  const { stdout } = await git(repo, [
    'log',
    '--first-parent',
    `--max-count=${options.commits ?? 50}`,
    '--format=%H%x00%P%x00%s',
    head,
  ]);
  const commits = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', parents = '', subject = ''] = line.split('\0');
      return { commit, parent: parents.split(' ')[0] ?? '', subject };
    })
    .filter((c) => c.parent !== '')
    .reverse();
  const blobs: BlobTexts = new Map();
  const goCache: GoParseCache = new Map();
  for (const { commit, parent, subject } of commits) {
    const changed = await changedBy(repo, commit, parent);
    const tree = await commitTree(repo, commit, blobs);
    const analysis = await analyzeTree(tree, options.suites, changed.files, [], {
      goCache,
      ...(options.layout !== undefined ? { layout: options.layout } : {}),
    });
    yield { commit, parent, subject, changedFiles: changed.files, analysis };
  }
}

/**
 * What-if on one commit's tree (default HEAD): a function giving, for a set of changed paths (project-relative, as
 * if a commit touched them), the suites selected and why — to check which suites a change to a given package would
 * select without making it. Parsed Go files and blob texts are reused across calls.
 */
export async function analyzeAtCommit(options: Omit<ReplayOptions, 'commits'>): Promise<{
  readonly commit: string;
  /** The commit's files (project-relative, sorted). */
  readonly files: readonly string[];
  analyze(changed: readonly string[]): Promise<AffectedAnalysis>;
}> {
  const repo = await openGitRepository(options.runner, options.checkout);
  const commit = await resolveCommit(repo, options.ref ?? 'HEAD', 'ref');
  const tree = await commitTree(repo, commit);
  const goCache: GoParseCache = new Map();
  return {
    commit,
    files: tree.files,
    analyze: (changed) =>
      analyzeTree(tree, options.suites, [...changed].sort(), [], {
        goCache,
        ...(options.layout !== undefined ? { layout: options.layout } : {}),
      }),
  };
}
