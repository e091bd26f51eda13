import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandRunner } from '@kubernaut-e2e/core';

/*
 * A base image for builds with RUN steps where nothing can be pulled: the host's `/bin/sh` (dash) and
 * `sleep`, with the shared libraries `ldd` names, in a tar that `podman import` / `docker import` turn into
 * an image in a fraction of a second (debootstrap takes minutes). A nonce file makes its ID unique, so no
 * other test's or user's image can be confused with it, nor any build FROM it with another's.
 */

const PROGRAMS = ['/bin/sh', '/bin/sleep'];

async function librariesOf(runner: CommandRunner, program: string): Promise<string[]> {
  const { stdout } = await runner.run('ldd', [program]);
  return [...stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

/** Writes `<dir>/rootfs.tar` and returns its path. */
export async function tinyRootfsTar(
  runner: CommandRunner,
  nonce: string,
): Promise<{ tar: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ke2e-rootfs-'));
  const root = join(dir, 'rootfs');
  const files = new Set<string>();
  for (const program of PROGRAMS) {
    files.add(program);
    for (const lib of await librariesOf(runner, program)) files.add(lib);
  }
  for (const file of files) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    // copyFile follows symlinks (/bin/sh → dash): the image gets the program itself.
    await copyFile(file, join(root, file));
  }
  await mkdir(join(root, 'tmp'), { recursive: true });
  await writeFile(join(root, 'nonce'), `${nonce}\n`);
  const tar = join(dir, 'rootfs.tar');
  await runner.run('tar', ['-C', root, '-cf', tar, '.']);
  return { tar, remove: () => rm(dir, { recursive: true, force: true }) };
}
