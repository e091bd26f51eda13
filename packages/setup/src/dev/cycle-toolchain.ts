import { type LogSink, RunLedger } from '@kubernaut-e2e/core';
import type { Toolchain } from '@kubernaut-e2e/orchestrator';
import type { InfrastructureHandle } from '../handle.js';
import type { ResolvedSetup } from '../setup-infrastructure.js';
import { createToolchain } from '../toolchain.js';

export interface CycleToolchain {
  readonly toolchain: Toolchain;
  /** Removes what the cycles left behind except their images (the build cache `down` removes) and the cluster. */
  release(): Promise<void>;
}

/**
 * The ports the loop's cycles run on. Setup closes the ledger its adapters record into once it is done (whatever a
 * late step creates is then removed at once, so nothing outlives an interrupted run), which would remove each
 * image a cycle builds and each archive directory a load makes. A real runtime's cycles therefore get adapters of
 * their own, made exactly as setup made its, over a ledger of the loop's. The simulator records into no ledger, and
 * a caller's own toolchain records into the caller's: both serve the cycles as they are.
 */
export async function cycleToolchain(
  handle: InfrastructureHandle,
  resolved: ResolvedSetup,
  options: { readonly env: NodeJS.ProcessEnv; readonly log?: LogSink },
): Promise<CycleToolchain> {
  if (handle.runtime !== 'podman' && handle.runtime !== 'docker') {
    return { toolchain: handle.toolchain, release: async () => {} };
  }
  const ledger = new RunLedger(options.log ? { log: options.log } : {});
  const { toolchain } = await createToolchain({
    runtime: handle.runtime,
    projectRoot: resolved.projectRoot,
    ledger,
    coverage: resolved.coverage,
    env: options.env,
    ...(options.log ? { log: options.log } : {}),
    ...(resolved.registry ? { registry: resolved.registry } : {}),
    ...(resolved.options.build ? { build: resolved.options.build } : {}),
    ...(resolved.existingCluster
      ? {
          existingCluster: {
            context: resolved.existingCluster.context,
            kubeconfig: resolved.existingCluster.kubeconfig,
          },
        }
      : {}),
  });
  return {
    // On a shared cluster the setup's kube adapts what is applied to the run's namespace (no node ports, forwards):
    // the cycles apply through the same one.
    toolchain: resolved.existingCluster ? { ...toolchain, kube: handle.toolchain.kube } : toolchain,
    release: async () => {
      await ledger.cleanup({ keepKinds: ['image', 'cluster'] });
    },
  };
}
