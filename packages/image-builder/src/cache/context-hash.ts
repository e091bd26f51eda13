import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DockerIgnore } from './dockerignore.js';

/** Bumped whenever the hash layout changes, so old labels stop matching. */
const HASH_FORMAT = 'kubernaut-e2e/context-hash/v1';
/** Files up to this size are read whole; larger ones are streamed. */
const WHOLE_READ_LIMIT = 4 * 1024 * 1024;

export interface ContextHashInput {
  /** Absolute Dockerfile path. */
  readonly dockerfile: string;
  /** Absolute build context directory. */
  readonly context: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly enableCoverage: boolean;
  /** Files hashed at once (bounded so a 50,000-file tree does not exhaust file descriptors). */
  readonly concurrency?: number;
}

export interface ContextHash {
  /** sha256 hex over the Dockerfile, the context files docker would send, build args and coverage. */
  readonly hash: string;
  readonly files: number;
  readonly bytes: number;
}

interface Entry {
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'link';
  readonly absolute: string;
  readonly executable: boolean;
  readonly size: number;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

async function walk(root: string, rules: DockerIgnore): Promise<Entry[]> {
  const entries: Entry[] = [];
  const pending: string[] = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const children = await readdir(dir, { withFileTypes: true });
    for (const child of children) {
      const absolute = join(dir, child.name);
      const path = toPosix(relative(root, absolute));
      if (child.isDirectory()) {
        if (rules.canPrune(path)) continue;
        if (!rules.excludes(path, true))
          entries.push({ path, kind: 'dir', absolute, executable: false, size: 0 });
        pending.push(absolute);
        continue;
      }
      if (rules.excludes(path)) continue;
      if (child.isSymbolicLink()) {
        entries.push({ path, kind: 'link', absolute, executable: false, size: 0 });
      } else if (child.isFile()) {
        const info = await lstat(absolute);
        entries.push({
          path,
          kind: 'file',
          absolute,
          executable: (info.mode & 0o111) !== 0,
          size: info.size,
        });
      }
      // Sockets, FIFOs and devices are not sent by docker or podman either.
    }
  }
  return entries;
}

async function hashFile(path: string, size: number): Promise<string> {
  if (size <= WHOLE_READ_LIMIT)
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Content hash of everything that decides what a build produces. Every file's bytes are hashed (no
 * mtime/size shortcut: a `git checkout` can change content and keep both), streaming with bounded
 * concurrency. Names are sorted, so the hash does not depend on directory listing order.
 */
export async function hashBuildInputs(input: ContextHashInput): Promise<ContextHash> {
  let ignoreText = '';
  try {
    ignoreText = await readFile(join(input.context, '.dockerignore'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const entries = await walk(input.context, new DockerIgnore(ignoreText));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const digests = await mapLimited(entries, input.concurrency ?? 32, async (entry) => {
    if (entry.kind === 'file') return hashFile(entry.absolute, entry.size);
    if (entry.kind === 'link') return readlink(entry.absolute);
    return '';
  });

  const hash = createHash('sha256');
  const field = (value: string) => hash.update(value).update('\0');
  field(HASH_FORMAT);
  field('dockerfile');
  hash.update(
    createHash('sha256')
      .update(await readFile(input.dockerfile))
      .digest('hex'),
  );
  field('');
  field('coverage');
  field(input.enableCoverage ? '1' : '0');
  for (const key of Object.keys(input.buildArgs).sort()) {
    field('arg');
    field(key);
    field(input.buildArgs[key]!);
  }
  let bytes = 0;
  entries.forEach((entry, index) => {
    field(entry.kind);
    field(entry.path);
    field(entry.executable ? 'x' : '-');
    field(digests[index]!);
    bytes += entry.size;
  });
  return { hash: hash.digest('hex'), files: entries.filter((e) => e.kind === 'file').length, bytes };
}
