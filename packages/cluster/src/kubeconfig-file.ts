import { constants } from 'node:fs';
import { access, chmod, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, OutputFormatError } from '@kubernaut-e2e/core';

/** Mode of every kubeconfig this package writes: it holds cluster-admin credentials. */
export const KUBECONFIG_MODE = 0o600;

/**
 * Checks, before any command runs, that a kubeconfig can be written at `path`: its directory exists,
 * is a directory and is writable, and `path` itself is not a directory. Returns the absolute path.
 * Raises `ConfigError` naming `field` otherwise.
 */
export async function assertWritableFilePath(path: string, field: string, subject: string): Promise<string> {
  const absolute = resolve(path);
  const directory = dirname(absolute);
  const refuse = (message: string): never => {
    throw ConfigError.field(field, message, subject);
  };
  const dirStat = await stat(directory).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' || error.code === 'ENOTDIR' ? undefined : Promise.reject(error),
  );
  if (dirStat === undefined) {
    refuse(
      `directory ${directory} does not exist; create it first or choose a path in an existing directory`,
    );
  } else if (!dirStat.isDirectory()) {
    refuse(`${directory} is not a directory, so ${absolute} cannot be created; choose a path in a directory`);
  }
  try {
    await access(directory, constants.W_OK);
  } catch {
    refuse(`directory ${directory} is not writable by this user; choose a writable directory`);
  }
  const fileStat = await stat(absolute).catch(() => undefined);
  if (fileStat?.isDirectory()) refuse(`${absolute} is a directory; give the path of a file`);
  if (fileStat) {
    try {
      await access(absolute, constants.W_OK);
    } catch {
      refuse(`${absolute} exists and is not writable by this user`);
    }
  }
  return absolute;
}

/**
 * Writes a kubeconfig with mode 0600. `writeFile`'s mode only applies when it creates the file, so the
 * mode is set again afterwards for a file that already existed with wider permissions.
 */
export async function writeKubeconfig(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: KUBECONFIG_MODE });
  await chmod(path, KUBECONFIG_MODE);
}

/** Sets mode 0600 on a kubeconfig another tool (kind) wrote; fails clearly if it wrote none. */
export async function restrictKubeconfig(path: string, writtenBy: string): Promise<void> {
  try {
    await chmod(path, KUBECONFIG_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OutputFormatError(
        writtenBy,
        `reported success but wrote no kubeconfig at ${path}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
