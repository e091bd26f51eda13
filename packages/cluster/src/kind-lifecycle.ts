import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, clusterNameSchema, parseInput } from '@kubernaut-e2e/core';
import { parseCrictlImages } from '@kubernaut-e2e/core/internal';
import { controlPlaneContainer, type KindToolOptions, runInNode, runKind } from './kind-cli.js';
import { COVERAGE_CONTAINER_PATH } from './kind-config.js';
import { nodeImageRefs, parseKindClusters } from './kind-output.js';
import { assertWritableFilePath, writeKubeconfig } from './kubeconfig-file.js';

function clusterName(name: string): string {
  return parseInput(clusterNameSchema, name, 'kind cluster name');
}

/** Names of every kind cluster the engine knows (`kind get clusters`). */
export async function listKindClusters(tool: KindToolOptions): Promise<string[]> {
  const result = await runKind(tool, ['get', 'clusters']);
  return parseKindClusters(result.stdout);
}

/** Whether a kind cluster named `name` exists. */
export async function kindClusterExists(name: string, tool: KindToolOptions): Promise<boolean> {
  const checked = clusterName(name);
  return (await listKindClusters(tool)).includes(checked);
}

export interface DeleteKindClusterOptions extends KindToolOptions {
  /**
   * The cluster's own kubeconfig. kind removes the cluster's context from the kubeconfig it is given,
   * or from `$KUBECONFIG`/`~/.kube/config` when given none — passing the per-cluster file keeps the
   * user's own kubeconfig untouched.
   */
  readonly kubeconfigPath?: string;
}

/** Deletes a kind cluster. Deleting a cluster that does not exist succeeds (kind treats it as done). */
export async function deleteKindCluster(name: string, options: DeleteKindClusterOptions): Promise<void> {
  const checked = clusterName(name);
  const args = ['delete', 'cluster', '--name', checked];
  if (options.kubeconfigPath !== undefined) args.push('--kubeconfig', resolve(options.kubeconfigPath));
  await runKind(options, args);
}

/** Collects node logs, journal and pod logs into `dir` (`kind export logs <dir> --name <name>`). */
export async function exportKindLogs(name: string, dir: string, tool: KindToolOptions): Promise<string> {
  const checked = clusterName(name);
  const target = resolve(dir);
  await runKind(tool, ['export', 'logs', target, '--name', checked]);
  return target;
}

/**
 * Writes the cluster's kubeconfig to `path` with mode 0600 (`kind get kubeconfig --name <name>`).
 * Returns the absolute path.
 */
export async function writeKindKubeconfig(
  name: string,
  path: string,
  tool: KindToolOptions,
): Promise<string> {
  const checked = clusterName(name);
  const target = await assertWritableFilePath(path, 'kubeconfigPath', 'kind kubeconfig request');
  const result = await runKind(tool, ['get', 'kubeconfig', '--name', checked]);
  await writeKubeconfig(target, result.stdout);
  return target;
}

/** Imports a docker-archive into every node of the cluster (`kind load image-archive`). */
export async function loadKindImageArchive(
  name: string,
  archivePath: string,
  tool: KindToolOptions,
): Promise<void> {
  const checked = clusterName(name);
  const archive = resolve(archivePath);
  const info = await stat(archive).catch(() => undefined);
  if (!info?.isFile()) {
    throw ConfigError.field('archivePath', `${archive} is not an existing file`, 'kind image archive load');
  }
  await runKind(tool, ['load', 'image-archive', archive, '--name', checked]);
}

/**
 * Images on the cluster's control-plane node, as containerd lists them (`<engine> exec
 * <name>-control-plane crictl images -o json`), normalised and sorted. `kind load` imports into every
 * node at once, so the control-plane node stands for the cluster.
 */
export async function listKindNodeImages(name: string, tool: KindToolOptions): Promise<string[]> {
  const checked = clusterName(name);
  const result = await runInNode(tool, controlPlaneContainer(checked), ['crictl', 'images', '-o', 'json']);
  return nodeImageRefs(parseCrictlImages(result.stdout));
}

/**
 * Creates `/coverdata` in the control-plane node, writable by any UID, so `-cover` binaries running as
 * non-root users can write their counters there. Two `exec` calls, no shell.
 */
export async function prepareCoverageDir(name: string, tool: KindToolOptions): Promise<void> {
  const checked = clusterName(name);
  const node = controlPlaneContainer(checked);
  await runInNode(tool, node, ['mkdir', '-p', COVERAGE_CONTAINER_PATH]);
  await runInNode(tool, node, ['chmod', '777', COVERAGE_CONTAINER_PATH]);
}
