import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import type { z } from 'zod';
import type { setupOptionsSchema } from './options.js';
import type { ResolvedRegistry } from './registry-mode.js';

/** `cluster.existing`, resolved: the kubeconfig file and context, and the namespace this run owns. */
export interface ResolvedExistingCluster {
  readonly context: string;
  /** The user's kubeconfig (read only). */
  readonly kubeconfig: string;
  /** `<service>-<run id>`: everything namespaced of this run goes here, and teardown deletes it. */
  readonly namespace: string;
}

const DNS_LABEL_MAX = 63;

/**
 * The run's namespace on a shared cluster: `<service>-<run id>` in lower case (e.g. `gateway-20261202t083319z-d25c1a2b`),
 * a DNS-1123 label of at most 63 characters (a long service name is shortened, the run id never is: it is what makes
 * the name unique among the runs sharing the cluster). The namespace's `RUN_LABEL` holds the run id as it is.
 */
export function runNamespace(service: string, runId: string): string {
  const id = dnsLabelPart(runId);
  const room = DNS_LABEL_MAX - id.length - 1;
  const prefix = dnsLabelPart(service).slice(0, room).replace(/-+$/, '');
  return prefix ? `${prefix}-${id}` : id;
}

/** Lower case, `-` for anything a DNS-1123 label cannot hold, no `-` at either end. */
function dnsLabelPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The kubeconfig an existing cluster is read from: the option, else `KUBECONFIG`'s first entry, else ~/.kube/config. */
export function existingKubeconfigPath(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  home = homedir(),
): string {
  if (given !== undefined) return resolve(given);
  const first = env.KUBECONFIG?.split(':').find((p) => p.trim() !== '');
  return resolve(first ?? join(home, '.kube', 'config'));
}

/**
 * Checks what an existing cluster needs from the other options, before anything runs: a registry it can pull
 * from, given as an address (`'local'` is kind's registry on this machine, which a remote cluster cannot reach).
 * Every problem names its field. (`plan` resolves it on the simulated toolchain; a run refuses that, see
 * `assertRuntimeReachesExistingCluster`.)
 */
export function resolveExistingCluster(
  options: z.output<typeof setupOptionsSchema>,
  registry: ResolvedRegistry | undefined,
  service: string,
  runId: string,
  env: NodeJS.ProcessEnv,
): ResolvedExistingCluster | undefined {
  const existing = options.cluster?.existing;
  if (existing === undefined) return undefined;
  const subject = `${service} setup options`;
  if (registry === undefined || registry.local) {
    throw ConfigError.field(
      'registry',
      `an existing cluster (context "${existing.context}") cannot load image archives and cannot reach ${registry ? "kind's local registry" : 'this machine'}: give a registry it pulls from, { url: 'host:port[/prefix]' } (--registry registry.example.com:5000/e2e)`,
      subject,
    );
  }
  return {
    context: existing.context,
    kubeconfig: existingKubeconfigPath(existing.kubeconfig, env),
    namespace: runNamespace(service, runId),
  };
}

/** A run on an existing cluster needs real tools: the simulated toolchain (runtime `sim`) has no existing clusters. */
export function assertRuntimeReachesExistingCluster(
  existing: ResolvedExistingCluster | undefined,
  runtime: string,
  service: string,
): void {
  if (existing !== undefined && runtime === 'sim')
    throw ConfigError.field(
      'cluster',
      'the simulated toolchain (runtime "sim") has no existing clusters; use runtime podman, docker or auto',
      `${service} setup options`,
    );
}
