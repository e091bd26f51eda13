import { ErrorCode, KubernautError } from '@kubernaut-e2e/core';
import type { SourceTree } from '../tree/source-tree.js';
import { type GitRepository, git, projectPath } from './git-repository.js';

/** Blob id → text, shared by the trees of successive commits so each version of a file is read once. */
export type BlobTexts = Map<string, string>;

/** At most this many blobs per `git cat-file --batch`, so no single output grows without bound. */
const BATCH = 400;

/** A commit's files could not be listed or read from the repository (corrupt, shallow, or gone). */
export class GitTreeError extends KubernautError {
  readonly code = ErrorCode.Command;
}

/**
 * The project's files at `commit`, read from git objects (`git ls-tree`, `git cat-file --batch`) without touching
 * the working tree: the exact tree that commit builds. Blob texts go into `blobs`, which the trees of other commits
 * may share.
 */
export async function commitTree(
  repo: GitRepository,
  commit: string,
  blobs: BlobTexts = new Map(),
): Promise<SourceTree> {
  const listing = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const ids = new Map<string, string>();
  for (const entry of listing.stdout.split('\0')) {
    const match = /^\d+ (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match?.[1] !== 'blob') continue;
    const path = projectPath(repo, match[3]!);
    if (path !== undefined) ids.set(path, match[2]!);
  }
  const files = [...ids.keys()].sort();
  return {
    description: `commit ${commit.slice(0, 12)} of ${repo.toplevel}`,
    files,
    has: (path) => ids.has(path),
    contentId: (path) => ids.get(path),
    async readFiles(paths) {
      const wanted = [...new Set(paths.map((p) => ids.get(p)).filter((id) => id !== undefined))];
      await readBlobs(
        repo,
        wanted.filter((id) => !blobs.has(id)),
        blobs,
      );
      const texts = new Map<string, string>();
      for (const path of paths) {
        const id = ids.get(path);
        const text = id === undefined ? undefined : blobs.get(id);
        if (text !== undefined) texts.set(path, text);
      }
      return texts;
    },
  };
}

/**
 * Reads blobs with `git cat-file --batch`. Each answer is `<id> blob <size>\n<content>\n`; the content is cut at the
 * next requested id's header rather than by byte size, so a file that is not valid UTF-8 cannot shift the others.
 */
async function readBlobs(repo: GitRepository, ids: readonly string[], into: BlobTexts): Promise<void> {
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const { stdout } = await git(repo, ['cat-file', '--batch'], { input: `${batch.join('\n')}\n` });
    let at = 0;
    for (const [i, id] of batch.entries()) {
      const header = stdout.indexOf('\n', at);
      if (header < 0 || !stdout.startsWith(`${id} `, at)) {
        throw new GitTreeError(`git cat-file --batch did not answer for blob ${id} in ${repo.toplevel}`);
      }
      if (stdout.slice(at, header).endsWith(' missing')) {
        at = header + 1;
        continue;
      }
      const next = batch[i + 1];
      const end = next === undefined ? stdout.length : stdout.indexOf(`\n${next} `, header);
      if (end < 0)
        throw new GitTreeError(`git cat-file --batch did not answer for blob ${next} in ${repo.toplevel}`);
      into.set(id, stdout.slice(header + 1, end));
      at = end + 1;
    }
  }
}
