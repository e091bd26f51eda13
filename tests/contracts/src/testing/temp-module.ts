import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempModule {
  readonly root: string;
  /** Writes (or rewrites) a file relative to the root. */
  write(path: string, text: string): void;
  /** `git init` + commit everything; returns the commit. */
  commit(): string;
  remove(): void;
}

/** A Go module of the test's own in a temporary directory (`module example.com/shop`). */
export function tempModule(files: Record<string, string>, modulePath = 'example.com/shop'): TempModule {
  const root = mkdtempSync(join(tmpdir(), 'contracts-gomod-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('go.mod', `module ${modulePath}\n\ngo 1.19\n`);
  for (const [path, text] of Object.entries(files)) write(path, text);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      encoding: 'utf8',
    }).trim();
  return {
    root,
    write,
    commit() {
      git('init', '-q');
      git('add', '-A');
      git('commit', '-q', '-m', 'test module');
      return git('rev-parse', 'HEAD');
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
