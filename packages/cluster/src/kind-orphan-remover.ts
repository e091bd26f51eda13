import type { CommandRunner, OrphanRemover } from '@kubernaut-e2e/core';
import type { KindEngine } from './kind-cli.js';
import { deleteKindCluster, kindClusterExists } from './kind-lifecycle.js';

/**
 * Removes a kind cluster a killed run recorded in its on-disk ledger (`resource.tool === 'kind'`), with the
 * kubeconfig and engine the run created it with, so `status`, `down` and the next `up` can clean up after it.
 */
export function createKindOrphanRemover(runner: CommandRunner, fallbackEngine: KindEngine): OrphanRemover {
  const toolFor = (details: Readonly<Record<string, string>> | undefined) => ({
    runner,
    engine: (details?.engine === 'docker' || details?.engine === 'podman'
      ? details.engine
      : fallbackEngine) as KindEngine,
  });
  return {
    async remove(entry) {
      const details = entry.resource?.details;
      await deleteKindCluster(entry.name, {
        ...toolFor(details),
        ...(details?.kubeconfig ? { kubeconfigPath: details.kubeconfig } : {}),
      });
    },
    exists: (entry) => kindClusterExists(entry.name, toolFor(entry.resource?.details)),
  };
}
