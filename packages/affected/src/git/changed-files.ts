import { type GitRepository, git } from './git-repository.js';

/** The files a change touches, relative to the repository's top level, sorted, each once. */
export interface ChangedFiles {
  /** The merge base the committed changes are measured from (`<since>...HEAD`), or the base commit given. */
  readonly base: string;
  readonly files: readonly string[];
  /** How many of `files` changed only in the working tree (staged, unstaged or untracked). */
  readonly uncommitted: number;
}

/**
 * Files changed on this branch since it left `sinceCommit` (`git diff <since>...HEAD`: from the merge base, so commits
 * that reached `since` meanwhile do not count), plus what is not committed yet: staged and unstaged edits and new
 * files git does not ignore. Renames count as both paths (`--no-renames`): whatever read the old path is affected too.
 */
export async function changedSince(repo: GitRepository, sinceCommit: string): Promise<ChangedFiles> {
  const run = (args: string[]) => git(repo, args);
  const base = (await run(['merge-base', sinceCommit, 'HEAD'])).stdout.trim();
  const committed = names(
    (await run(['diff', '--name-only', '--no-renames', '-z', `${base}...HEAD`])).stdout,
  );
  const uncommitted = [
    ...names((await run(['diff', '--name-only', '--no-renames', '-z', 'HEAD'])).stdout),
    ...names((await run(['ls-files', '--others', '--exclude-standard', '-z'])).stdout),
  ];
  const files = [...new Set([...committed, ...uncommitted])].sort();
  const committedSet = new Set(committed);
  return { base, files, uncommitted: files.filter((f) => !committedSet.has(f)).length };
}

/** Files one commit changed against its first parent (for a merge: everything the merged branch brought). */
export async function changedBy(repo: GitRepository, commit: string, parent: string): Promise<ChangedFiles> {
  const { stdout } = await git(repo, ['diff', '--name-only', '--no-renames', '-z', parent, commit]);
  return { base: parent, files: [...new Set(names(stdout))].sort(), uncommitted: 0 };
}

function names(output: string): string[] {
  return output.split('\0').filter((name) => name !== '');
}
