import { join } from 'node:path';
import {
  coverageMount,
  type KindClusterConfigInput,
  kubeadmApiServerPatch,
  readCrdFiles,
} from '@kubernaut-e2e/cluster';
import type { KubeObject } from '@kubernaut-e2e/core';
import type { DeclareContext } from './service-definition.js';

/**
 * One control-plane node publishing the service's host ports. The API server's in-flight limits are raised as
 * the seed system does: parallel deploys plus test traffic otherwise hit 429s on a single node.
 */
export function kindConfigFor(
  context: DeclareContext,
  portMappings: readonly { containerPort: number; hostPort: number }[],
): KindClusterConfigInput {
  return {
    nodes: [
      {
        role: 'control-plane',
        extraPortMappings: portMappings.map((m) => ({ ...m, protocol: 'TCP' as const })),
        ...(context.coverage && context.coverageDir
          ? { extraMounts: [coverageMount(context.coverageDir)] }
          : {}),
      },
    ],
    kubeadmConfigPatches: [
      kubeadmApiServerPatch({ maxRequestsInflight: 800, maxMutatingRequestsInflight: 400 }),
    ],
  };
}

/** Reads CRDs from the project's `config/crd/bases/` by file name. Missing files are a `ConfigError`. */
export function readProjectCrds(projectRoot: string, files: readonly string[]): Promise<KubeObject[]> {
  return readCrdFiles(files.map((f) => join(projectRoot, 'config', 'crd', 'bases', f)));
}
