import { type CommandResult, type CommandRunner, ConfigError, type RunOptions } from '@kubernaut-e2e/core';

/**
 * `affected` only reads the user's repository: `--no-optional-locks` keeps even `git diff` from refreshing the index
 * file, so nothing in the checkout changes (and a concurrent git command never finds it locked).
 */
const READ_ONLY = ['--no-optional-locks'];

/** Runs a read-only git command at the repository's top level. */
export function git(
  repo: GitRepository,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return repo.runner.run('git', [...READ_ONLY, ...args], { cwd: repo.toplevel, ...options });
}

/** The git repository a project root lives in. */
export interface GitRepository {
  readonly runner: CommandRunner;
  /** The repository's top-level directory: `git` runs there. */
  readonly toplevel: string;
  /** The project root relative to `toplevel`, `''` or ending in `/` (`services/fixture-project/`). */
  readonly prefix: string;
}

/**
 * The repository holding `projectRoot` (read-only: `git rev-parse`). Not a git repository is bad input: `affected`
 * compares commits, so the project root must be inside one.
 */
export async function openGitRepository(runner: CommandRunner, projectRoot: string): Promise<GitRepository> {
  const result = await runner
    .run('git', [...READ_ONLY, 'rev-parse', '--show-toplevel', '--show-prefix'], { cwd: projectRoot })
    .catch((error: unknown) => {
      throw new ConfigError(
        [
          {
            path: 'projectRoot',
            message: `${projectRoot} is not inside a git repository (git rev-parse failed); \`affected\` compares commits, so pass --project-root <a git checkout>`,
          },
        ],
        { subject: 'affected', cause: error },
      );
    });
  const [toplevel = projectRoot, prefix = ''] = result.stdout.split('\n');
  return { runner, toplevel, prefix: prefix.trim() };
}

/** A path relative to the repository's top level → relative to the project root; undefined when outside it. */
export function projectPath(repo: GitRepository, repoPath: string): string | undefined {
  if (repo.prefix === '') return repoPath;
  return repoPath.startsWith(repo.prefix) ? repoPath.slice(repo.prefix.length) : undefined;
}

/**
 * The commit a ref names (`git rev-parse --verify <ref>^{commit}`); a ref that names none is bad input at `flag`.
 */
export async function resolveCommit(repo: GitRepository, ref: string, flag: string): Promise<string> {
  const result = await git(repo, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ]).catch(() => undefined);
  const commit = result?.stdout.trim();
  if (commit === undefined || commit === '') {
    throw ConfigError.field(
      flag,
      `no commit named "${ref}" in ${repo.toplevel}; give a branch, tag or commit (e.g. origin/main), and fetch it first in a shallow CI checkout (fetch-depth: 0)`,
      'affected',
    );
  }
  return commit;
}
