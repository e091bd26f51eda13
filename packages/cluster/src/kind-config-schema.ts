import { isIP } from 'node:net';
import { formatIssuePath, imageRefSchema, parseImageRef } from '@kubernaut-e2e/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { bindingsOverlap, describeBinding, type HostBinding, hostBindingOf } from './host-bindings.js';

/*
 * kind's `Cluster` config, `kind.x-k8s.io/v1alpha4`, field for field. Source of truth:
 * kubernetes-sigs/kind `pkg/apis/config/v1alpha4/types.go` (fields), `yaml.go` (enum decoding) and
 * `pkg/internal/apis/config/validate.go` (what `kind create cluster` refuses). Objects are strict, as
 * kind's decoder is (`KnownFields(true)`): an unknown field is an error, not silently ignored.
 */

export const KIND_CONFIG_API_VERSION = 'kind.x-k8s.io/v1alpha4';
export const KIND_CONFIG_KIND = 'Cluster';

/**
 * The kind node image used when a node pins none. kind's own default at v1.35.1, pinned by digest so
 * every run boots byte-identical nodes (a tag alone can be re-pushed).
 * Source: kubernetes-sigs/kind `pkg/apis/config/defaults/image.go`.
 */
export const DEFAULT_KIND_NODE_IMAGE =
  'kindest/node:v1.35.1@sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab';

const absolutePath = (what: string) =>
  z
    .string()
    .min(1)
    .refine((p) => p.startsWith('/'), {
      message: `${what} must be an absolute path (starting with "/"); loadKindConfigFile resolves a relative one the way kind does`,
    });

const ipAddress = (what: string) =>
  z
    .string()
    .refine((value) => isIP(value) !== 0, { message: `${what} must be an IP address, e.g. 127.0.0.1` });

// kind's validatePort: an int32 from -1 to 65535, where 0 (or unset) lets kind pick a free port and -1
// lets the container engine pick one.
const kindHostPort = (what: string) => {
  const message = `${what} must be an integer from 1 to 65535 (0 or -1 ask for a random port)`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(-1, { error: message })
    .max(65535, { error: message });
};

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

function parseYamlText(text: string): { value: unknown } | { error: string } {
  try {
    return { value: parseYaml(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// kind applies each patch as a YAML merge patch and matches it to its target by `kind`, so a patch
// without `kind` (or one that is not YAML at all) is ignored or rejected deep inside kubeadm.
const kubeadmPatchSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseYamlText(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: `kubeadm patch is not valid YAML: ${parsed.error}` });
    return;
  }
  const doc = parsed.value;
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

const JSON_PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

// kind converts the text from YAML to JSON and decodes it as an RFC 6902 patch (a list of operations,
// `pkg/internal/patch/json6902patch.go`); a bad one fails only while nodes are being configured.
const json6902PatchText = z.string().superRefine((text, ctx) => {
  const parsed = parseYamlText(text);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: `JSON 6902 patch is not valid YAML or JSON: ${parsed.error}` });
    return;
  }
  const ops = parsed.value;
  if (!Array.isArray(ops)) {
    ctx.addIssue({
      code: 'custom',
      message: 'JSON 6902 patch must be a list of operations, e.g. "- op: add\\n  path: /x\\n  value: 1"',
    });
    return;
  }
  ops.forEach((op: unknown, i) => {
    const entry = (typeof op === 'object' && op !== null ? op : {}) as Record<string, unknown>;
    if (
      typeof entry.op !== 'string' ||
      !JSON_PATCH_OPS.includes(entry.op) ||
      typeof entry.path !== 'string'
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `JSON 6902 patch operation ${i} needs \`op\` (${JSON_PATCH_OPS.join(', ')}) and a string \`path\``,
      });
    }
  });
});

export const kindJson6902PatchSchema = z.strictObject({
  /** API group of the kubeadm object; empty matches any (kind compares `group/version` to its apiVersion). */
  group: z.string().optional(),
  version: z.string().optional(),
  /** The kubeadm object to patch, e.g. `ClusterConfiguration`. */
  kind: z
    .string()
    .min(1, { message: 'kind must name the kubeadm object to patch, e.g. ClusterConfiguration' }),
  /** The RFC 6902 operations, as YAML or JSON text. */
  patch: json6902PatchText,
});

export const kindPortMappingSchema = z.strictObject({
  // kind's own validation would let 0 through, but the engine then refuses to publish to port 0.
  containerPort: z
    .number()
    .int()
    .min(1, { message: 'containerPort must be 1–65535' })
    .max(65535, { message: 'containerPort must be 1–65535' }),
  /** Host port; unset, 0 or -1 ask for a random one. */
  hostPort: kindHostPort('hostPort').optional(),
  /** Host address to bind; kind binds 0.0.0.0 (:: on IPv6) when unset. */
  listenAddress: ipAddress('listenAddress').optional(),
  /** TCP when unset. kind accepts any case (it upper-cases the value), so does this. */
  protocol: z
    .string()
    .transform((p) => p.toUpperCase())
    .pipe(z.enum(['TCP', 'UDP', 'SCTP'], { message: 'protocol must be TCP, UDP or SCTP' }))
    .optional(),
});

export const kindMountSchema = z.strictObject({
  hostPath: absolutePath('hostPath'),
  containerPath: absolutePath('containerPath'),
  readOnly: z.boolean().optional(),
  selinuxRelabel: z.boolean().optional(),
  // Case-sensitive in kind (`yaml.go`), unlike `protocol`.
  propagation: z
    .enum(['None', 'HostToContainer', 'Bidirectional'], {
      message: 'propagation must be None, HostToContainer or Bidirectional',
    })
    .optional(),
});

export const kindNodeSchema = z.strictObject({
  role: z
    .enum(['control-plane', 'worker'], { message: 'role must be control-plane or worker' })
    .default('control-plane'),
  /** Pinned node image; `DEFAULT_KIND_NODE_IMAGE` when omitted. */
  image: nodeImageSchema.default(DEFAULT_KIND_NODE_IMAGE),
  labels: z.record(z.string(), z.string()).optional(),
  extraMounts: z.array(kindMountSchema).optional(),
  extraPortMappings: z.array(kindPortMappingSchema).optional(),
  /** Merge patches for this node's kubeadm config, applied after the cluster-level ones. */
  kubeadmConfigPatches: z.array(kubeadmPatchSchema).optional(),
  kubeadmConfigPatchesJSON6902: z.array(kindJson6902PatchSchema).optional(),
});

// One CIDR, or two (one per family) for dual-stack, comma-separated, as kind's validateSubnets reads it.
const subnetSchema = (what: string) =>
  z.string().refine(
    (value) => {
      const parts = value.split(',');
      return (
        parts.length <= 2 &&
        parts.every((p) => z.cidrv4().safeParse(p).success || z.cidrv6().safeParse(p).success)
      );
    },
    {
      message: `${what} must be a CIDR such as 10.244.0.0/16 (dual-stack: one IPv4 and one IPv6, comma-separated)`,
    },
  );

export const kindNetworkingSchema = z.strictObject({
  ipFamily: z.enum(['ipv4', 'ipv6', 'dual'], { message: 'ipFamily must be ipv4, ipv6 or dual' }).optional(),
  /** Where the API server listens on the host; kind uses 127.0.0.1 (::1 on IPv6). */
  apiServerAddress: ipAddress('apiServerAddress').optional(),
  /** Unset or 0: a random free port; -1: the engine picks. */
  apiServerPort: kindHostPort('apiServerPort').optional(),
  podSubnet: subnetSchema('podSubnet').optional(),
  serviceSubnet: subnetSchema('serviceSubnet').optional(),
  disableDefaultCNI: z.boolean().optional(),
  kubeProxyMode: z
    .enum(['iptables', 'ipvs', 'nftables', 'none'], {
      message: 'kubeProxyMode must be iptables, ipvs, nftables or none',
    })
    .optional(),
  /** DNS search domains for the nodes; unset inherits the host's, `[]` sets none. */
  dnsSearch: z.array(z.string()).optional(),
});

// kind's validNameRE: it prefixes and suffixes the name to make container names.
const clusterNameInConfig = z
  .string()
  .regex(/^[a-z0-9.-]+$/, { message: 'name must use only lower-case letters, digits, "." and "-"' });

/**
 * A kind `Cluster` (kind.x-k8s.io/v1alpha4) as data: every field kind accepts, in kind's own names, so
 * the rendered YAML is exactly what kind documents. `kind` and `apiVersion` may be omitted (they are
 * always rendered) but, when present, must be kind's. Beyond kind's own checks, host bindings must be
 * unique across all nodes and differ from the API server's: two containers cannot publish the same host
 * socket, and `kind create` would only fail after the first node started.
 */
export const kindClusterConfigSchema = z
  .strictObject({
    kind: z.literal(KIND_CONFIG_KIND, { message: `kind must be "${KIND_CONFIG_KIND}"` }).optional(),
    apiVersion: z
      .literal(KIND_CONFIG_API_VERSION, {
        message: `apiVersion must be "${KIND_CONFIG_API_VERSION}" (the only kind config version this package reads)`,
      })
      .optional(),
    /** Overridden by `--name`, which `createKindCluster` always passes. */
    name: clusterNameInConfig.optional(),
    nodes: z
      .array(kindNodeSchema)
      .min(1)
      .prefault([{ role: 'control-plane' }]),
    networking: kindNetworkingSchema.optional(),
    featureGates: z.record(z.string(), z.boolean()).optional(),
    /** kube-apiserver `--runtime-config` entries, e.g. `{ "api/alpha": "false" }`. */
    runtimeConfig: z.record(z.string(), z.string()).optional(),
    /** Merge patches for every node's kubeadm config, applied before the node-level ones. */
    kubeadmConfigPatches: z.array(kubeadmPatchSchema).optional(),
    kubeadmConfigPatchesJSON6902: z.array(kindJson6902PatchSchema).optional(),
    /** TOML merge patches for every node's containerd config, in order. */
    containerdConfigPatches: z.array(z.string()).optional(),
    /** RFC 6902 patches (YAML or JSON text) for every node's containerd config. */
    containerdConfigPatchesJSON6902: z.array(json6902PatchText).optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.nodes.some((n) => n.role === 'control-plane')) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: 'a kind cluster needs at least one control-plane node',
      });
    }
    const seen: { binding: HostBinding; path: (string | number)[] }[] = [];
    const claim = (binding: HostBinding | undefined, path: (string | number)[]) => {
      if (binding === undefined) return;
      const first = seen.find((s) => bindingsOverlap(s.binding, binding));
      if (first === undefined) {
        seen.push({ binding, path });
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path,
        message: `host port ${describeBinding(binding)} is already mapped at ${formatIssuePath(first.path)} (${describeBinding(first.binding)}); two mappings cannot bind the same host port, protocol and address`,
      });
    };
    config.nodes.forEach((node, i) => {
      node.extraPortMappings?.forEach((m, j) => {
        claim(hostBindingOf(m), ['nodes', i, 'extraPortMappings', j, 'hostPort']);
      });
    });
    const apiServer = apiServerBinding(config.networking);
    if (apiServer !== undefined) claim(apiServer, ['networking', 'apiServerPort']);
  });

/** The host socket kind publishes the API server on (127.0.0.1, or ::1 on IPv6, when no address is set). */
export function apiServerBinding(
  networking: z.output<typeof kindNetworkingSchema> | undefined,
): HostBinding | undefined {
  if (networking?.apiServerPort === undefined) return undefined;
  return hostBindingOf({
    hostPort: networking.apiServerPort,
    listenAddress: networking.apiServerAddress ?? (networking.ipFamily === 'ipv6' ? '::1' : '127.0.0.1'),
  });
}

/** What callers write (defaults optional). */
export type KindClusterConfigInput = z.input<typeof kindClusterConfigSchema>;
/** A validated config with defaults applied. */
export type KindClusterConfig = z.output<typeof kindClusterConfigSchema>;
export type KindNode = z.output<typeof kindNodeSchema>;
export type KindPortMapping = z.output<typeof kindPortMappingSchema>;
export type KindPortMappingInput = z.input<typeof kindPortMappingSchema>;
export type KindMount = z.output<typeof kindMountSchema>;
export type KindNetworking = z.output<typeof kindNetworkingSchema>;
export type KindJson6902Patch = z.output<typeof kindJson6902PatchSchema>;
