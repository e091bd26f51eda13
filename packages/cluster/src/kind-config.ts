import {
  formatIssuePath,
  hostPortSchema,
  hostPortsSchema,
  imageRefSchema,
  parseImageRef,
  parseInput,
} from '@kubernaut-e2e/core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';

/**
 * The kind node image used when a node pins none. kind's own default at v1.35.1, pinned by digest so
 * every run boots byte-identical nodes (a tag alone can be re-pushed).
 * Source: kubernetes-sigs/kind `pkg/apis/config/defaults/image.go`.
 */
export const DEFAULT_KIND_NODE_IMAGE =
  'kindest/node:v1.35.1@sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab';

/** Where the coverage mount lands inside a node (Go's `GOCOVERDIR` for `-cover` binaries). */
export const COVERAGE_CONTAINER_PATH = '/coverdata';

const absolutePath = (what: string) =>
  z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), { message: `${what} must be an absolute path (starting with "/")` });

// A node image must carry a tag or a digest: an untagged name would silently float to `latest`.
const nodeImageSchema = imageRefSchema.refine(
  (ref) => {
    try {
      const parts = parseImageRef(ref);
      return parts.tag !== undefined || parts.digest !== undefined;
    } catch {
      return true; // the grammar issue is already reported
    }
  },
  {
    message: 'node image must be pinned with a tag or a digest, e.g. "kindest/node:v1.35.1@sha256:<64 hex>"',
  },
);

// kind applies each patch as a YAML merge patch and matches it to its target by `kind`, so a patch
// without `kind` (or one that is not YAML at all) is ignored or rejected deep inside kubeadm.
const kubeadmPatchSchema = z.string().superRefine((text, ctx) => {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `kubeadm patch is not valid YAML: ${(error as Error).message}` });
    return;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    ctx.addIssue({ code: 'custom', message: 'kubeadm patch must be a YAML mapping' });
    return;
  }
  if (typeof (doc as Record<string, unknown>).kind !== 'string') {
    ctx.addIssue({
      code: 'custom',
      message: 'kubeadm patch must name its target with `kind:` (e.g. ClusterConfiguration)',
    });
  }
});

export const kindPortMappingSchema = z.strictObject({
  containerPort: z
    .number()
    .int()
    .min(1, { message: 'containerPort must be 1–65535' })
    .max(65535, { message: 'containerPort must be 1–65535' }),
  hostPort: hostPortSchema,
  /** Host address to bind; kind binds 0.0.0.0 when unset. */
  listenAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});

export const kindMountSchema = z.strictObject({
  hostPath: absolutePath('hostPath'),
  containerPath: absolutePath('containerPath'),
  readOnly: z.boolean().optional(),
  selinuxRelabel: z.boolean().optional(),
  propagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
});

export const kindNodeSchema = z.strictObject({
  role: z.enum(['control-plane', 'worker']).default('control-plane'),
  /** Pinned node image; `DEFAULT_KIND_NODE_IMAGE` when omitted. */
  image: nodeImageSchema.default(DEFAULT_KIND_NODE_IMAGE),
  labels: z.record(z.string(), z.string()).optional(),
  extraPortMappings: z.array(kindPortMappingSchema).optional(),
  extraMounts: z.array(kindMountSchema).optional(),
  kubeadmConfigPatches: z.array(kubeadmPatchSchema).optional(),
});

export const kindNetworkingSchema = z.strictObject({
  ipFamily: z.enum(['ipv4', 'ipv6', 'dual']).optional(),
  apiServerAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  apiServerPort: hostPortSchema.optional(),
  podSubnet: z.string().optional(),
  serviceSubnet: z.string().optional(),
  disableDefaultCNI: z.boolean().optional(),
  kubeProxyMode: z.enum(['iptables', 'ipvs', 'nftables', 'none']).optional(),
});

/**
 * A kind `Cluster` (kind.x-k8s.io/v1alpha4) as data. Field names are kind's own, so the rendered YAML
 * is exactly what kind documents. Host ports must be unique across all nodes (and differ from the
 * API server port): two mappings of one host port make `kind create` fail only after nodes start.
 */
export const kindClusterConfigSchema = z
  .strictObject({
    nodes: z
      .array(kindNodeSchema)
      .min(1)
      .prefault([{ role: 'control-plane' }]),
    networking: kindNetworkingSchema.optional(),
    featureGates: z.record(z.string(), z.boolean()).optional(),
    runtimeConfig: z.record(z.string(), z.string()).optional(),
    kubeadmConfigPatches: z.array(kubeadmPatchSchema).optional(),
    containerdConfigPatches: z.array(z.string()).optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.nodes.some((n) => n.role === 'control-plane')) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: 'a kind cluster needs at least one control-plane node',
      });
    }
    const ports: { port: number; path: (string | number)[] }[] = [];
    config.nodes.forEach((node, i) => {
      node.extraPortMappings?.forEach((m, j) => {
        ports.push({ port: m.hostPort, path: ['nodes', i, 'extraPortMappings', j, 'hostPort'] });
      });
    });
    const apiServerPort = config.networking?.apiServerPort;
    if (apiServerPort !== undefined) {
      ports.push({ port: apiServerPort, path: ['networking', 'apiServerPort'] });
    }
    if (hostPortsSchema.safeParse(ports.map((p) => p.port)).success) return;
    // The shared schema says "not unique"; name the exact fields that collide.
    const firstSeen = new Map<number, (string | number)[]>();
    for (const { port, path } of ports) {
      const first = firstSeen.get(port);
      if (first === undefined) {
        firstSeen.set(port, path);
        continue;
      }
      ctx.addIssue({
        code: 'custom',
        path,
        message: `host port ${port} is already mapped at ${formatIssuePath(first)}; each host port may be used once`,
      });
    }
  });

/** What callers write (defaults optional). */
export type KindClusterConfigInput = z.input<typeof kindClusterConfigSchema>;
/** A validated config with defaults applied. */
export type KindClusterConfig = z.output<typeof kindClusterConfigSchema>;
export type KindNode = z.output<typeof kindNodeSchema>;
export type KindPortMapping = z.output<typeof kindPortMappingSchema>;
export type KindMount = z.output<typeof kindMountSchema>;

/**
 * Validates a config (`ConfigError` naming the field) and renders it as kind's YAML. Keys without a
 * value are left out: kind treats an absent field as "use the default", while an explicit `null` can
 * fail its strict decoder.
 */
export function renderKindConfig(config: KindClusterConfigInput): string {
  // Validating here too means a hand-built object cannot skip the checks (parsing is idempotent).
  const valid = parseInput(kindClusterConfigSchema, config, 'kind cluster config');
  const document = dropUndefined({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    ...valid,
  });
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
