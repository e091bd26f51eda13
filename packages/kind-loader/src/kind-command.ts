import type { RunOptions } from '@kubernaut-e2e/core';
import type { KindProvider } from './load-options.js';

/**
 * Argv of `kind load image-archive` (kind's documented flags: `--name <cluster>`, `--nodes a,b`). One
 * archive may hold many images; kind's own docs recommend that over one archive per image.
 */
export function kindLoadArchiveArgs(
  archivePath: string,
  clusterName: string,
  nodes?: readonly string[],
): string[] {
  const args = ['load', 'image-archive', archivePath, '--name', clusterName];
  if (nodes && nodes.length > 0) args.push('--nodes', nodes.join(','));
  return args;
}

/** kind picks its runtime from this variable; podman needs it, and setting docker explicitly avoids guessing. */
export function kindEnv(provider: KindProvider): RunOptions['env'] {
  return { KIND_EXPERIMENTAL_PROVIDER: provider };
}

/** Name of the control-plane node container of a kind cluster with one control-plane node. */
export function controlPlaneNode(clusterName: string): string {
  return `${clusterName}-control-plane`;
}
