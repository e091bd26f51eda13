import { watch } from 'chokidar';
import type { FileWatcher, FileWatchRequest } from './types.js';

/**
 * The dev loop's default watcher: chokidar (native `fs.watch` per directory, with editors' atomic saves folded
 * into one change). It skips what no build reads, so a repository's `node_modules` or `.git` costs no watches when
 * `.dockerignore` excludes them. Resolves once the initial scan is done; changes before that are not reported (the
 * loop hashes every image after the watcher is ready).
 */
export async function watchWithChokidar(request: FileWatchRequest): Promise<FileWatcher> {
  const watcher = watch([...request.roots], {
    ignoreInitial: true,
    ignored: (path, stats) => request.ignored(path, stats === undefined ? undefined : stats.isDirectory()),
  });
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
    watcher.on(event, (path: string) => request.onChange(path));
  }
  await new Promise<void>((resolve, reject) => {
    const failed = (error: unknown) => reject(error);
    watcher.once('error', failed);
    watcher.once('ready', () => {
      watcher.off('error', failed);
      watcher.on('error', (error: unknown) => request.onError(error));
      resolve();
    });
  }).catch(async (error: unknown) => {
    await watcher.close();
    throw error;
  });
  return { close: () => watcher.close() };
}
