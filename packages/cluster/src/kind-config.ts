import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { parseWithFieldPaths } from './field-issues.js';
import {
  KIND_CONFIG_API_VERSION,
  KIND_CONFIG_KIND,
  type KindClusterConfig,
  type KindClusterConfigInput,
  type KindMount,
  kindClusterConfigSchema,
} from './kind-config-schema.js';

/** Where the coverage mount lands inside a node (Go's `GOCOVERDIR` for `-cover` binaries). */
export const COVERAGE_CONTAINER_PATH = '/coverdata';

/**
 * Validates a kind config and applies its defaults (one control-plane node, the pinned default node
 * image). Bad input is one `ConfigError` listing every bad field by path — an unknown field by its own
 * path, e.g. `nodes[0].extraPortMapping`.
 */
export function parseKindConfig(
  config: KindClusterConfigInput,
  subject = 'kind cluster config',
): KindClusterConfig {
  return parseWithFieldPaths(kindClusterConfigSchema, config, subject);
}

/**
 * Validates a config (`ConfigError` naming the field) and renders it as kind's YAML. Keys without a
 * value are left out: kind treats an absent field as "use the default", while an explicit `null` can
 * fail its strict decoder.
 */
export function renderKindConfig(config: KindClusterConfigInput): string {
  // Validating here too means a hand-built object cannot skip the checks (parsing is idempotent).
  const { kind: _kind, apiVersion: _apiVersion, ...valid } = parseKindConfig(config);
  const document = dropUndefined({ kind: KIND_CONFIG_KIND, apiVersion: KIND_CONFIG_API_VERSION, ...valid });
  // Patches are YAML documents inside YAML: block literals keep them readable and byte-exact.
  return stringifyYaml(document, { blockQuote: 'literal', lineWidth: 0 });
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    );
  }
  return value;
}

export interface ApiServerInflightLimits {
  /** `--max-requests-inflight` (non-mutating requests; Kubernetes default 400). */
  readonly maxRequestsInflight?: number;
  /** `--max-mutating-requests-inflight` (Kubernetes default 200). */
  readonly maxMutatingRequestsInflight?: number;
}

const inflightSchema = z.strictObject({
  maxRequestsInflight: z.number().int().min(1).optional(),
  maxMutatingRequestsInflight: z.number().int().min(1).optional(),
});

/**
 * A kubeadm `ClusterConfiguration` patch raising the API server's in-flight request limits, for suites
 * that hit the API server from many parallel workers (429 "too many requests" otherwise). Put it in the
 * cluster's (or the control-plane node's) `kubeadmConfigPatches`.
 *
 * The patch states no `apiVersion` and uses the map form of `extraArgs`: kind renders kubeadm v1beta3
 * (map form) below Kubernetes 1.36 and, from 1.36, v1beta4, translating unversioned map-form patches
 * for it (kubernetes-sigs/kind#4173). A versioned patch would silently stop applying on one of them.
 */
export function kubeadmApiServerPatch(limits: ApiServerInflightLimits): string {
  const parsed = inflightSchema.safeParse(limits);
  if (
    !parsed.success ||
    (limits.maxRequestsInflight === undefined && limits.maxMutatingRequestsInflight === undefined)
  ) {
    throw new TypeError(
      'kubeadmApiServerPatch needs maxRequestsInflight and/or maxMutatingRequestsInflight as positive integers',
    );
  }
  const extraArgs: Record<string, string> = {};
  if (limits.maxRequestsInflight !== undefined)
    extraArgs['max-requests-inflight'] = String(limits.maxRequestsInflight);
  if (limits.maxMutatingRequestsInflight !== undefined) {
    extraArgs['max-mutating-requests-inflight'] = String(limits.maxMutatingRequestsInflight);
  }
  return stringifyYaml({ kind: 'ClusterConfiguration', apiServer: { extraArgs } });
}

/** The mount that exposes a host directory as `/coverdata` inside a node (coverage data survives the node). */
export function coverageMount(hostPath: string): KindMount {
  return { hostPath, containerPath: COVERAGE_CONTAINER_PATH };
}
