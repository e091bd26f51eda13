import {
  type CommandRunner,
  type KubeObject,
  type OperationContext,
  parseRegistryAddress,
  type RegistryAddress,
} from '@kubernaut-e2e/core';
import type { KindEngine } from './kind-cli.js';

/*
 * kind's documented local-registry pattern (https://kind.sigs.k8s.io/docs/user/local-registry/): a `registry:2`
 * container named `kind-registry` published on 127.0.0.1:<port>, connected to the `kind` network; each node's
 * containerd reads per-registry `hosts.toml` files (`config_path`), one of which maps `localhost:<port>` to
 * `http://kind-registry:5000`; and the `local-registry-hosting` ConfigMap (KEP-1755) tells tools where to push.
 * The registry outlives every cluster, so a second run pushes only the layers that changed.
 */

/** The container name kind's documentation uses; tools that follow KEP-1755 find it by this name too. */
export const LOCAL_REGISTRY_CONTAINER = 'kind-registry';
/** The host port kind's documentation publishes the registry on. */
export const DEFAULT_LOCAL_REGISTRY_PORT = 5001;
/** The registry image kind's documentation runs. */
export const LOCAL_REGISTRY_IMAGE = 'registry:2';
/** Where a kind node's containerd looks for `<host:port>/hosts.toml`. */
export const NODE_REGISTRY_CONFIG_DIR = '/etc/containerd/certs.d';

/** The `containerdConfigPatches` entry that makes a node's containerd read `hosts.toml` files. */
export function registryContainerdConfigPatch(): string {
  return `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${NODE_REGISTRY_CONFIG_DIR}"\n`;
}

/**
 * `hosts.toml` for `localhost:<port>`: where a node really reaches the registry. On a user's machine that is
 * `http://kind-registry:5000` (the container, over the kind network); a test points it at its own registry.
 */
export function registryHostsToml(endpoint: string): string {
  return `[host."${endpoint}"]\n  capabilities = ["pull", "resolve"]\n`;
}

/** The directory (below a node's `certs.d`) the `hosts.toml` for `address` goes into. */
export function registryHostsDir(address: RegistryAddress): string {
  return `${NODE_REGISTRY_CONFIG_DIR}/${address.hostPort}`;
}

/** The `local-registry-hosting` ConfigMap (KEP-1755) in `kube-public`: where tools push for this cluster. */
export function localRegistryHostingConfigMap(address: RegistryAddress): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: {
      'localRegistryHosting.v1': `host: "${address.hostPort}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n`,
    },
  };
}

/** `<engine> run …` that starts kind's registry container, published on loopback only. */
export function localRegistryRunArgs(port: number): string[] {
  return [
    'run',
    '-d',
    '--restart=always',
    '-p',
    `127.0.0.1:${port}:5000`,
    '--network',
    'bridge',
    '--name',
    LOCAL_REGISTRY_CONTAINER,
    LOCAL_REGISTRY_IMAGE,
  ];
}

export interface LocalRegistryToolOptions {
  readonly runner: CommandRunner;
  readonly engine: KindEngine;
  /** Host port; 5001 when omitted. */
  readonly port?: number;
}

/**
 * Starts `kind-registry` unless it runs already (it is never stopped by a run: it is the cache every later run
 * pushes into). Returns its address, `localhost:<port>`.
 */
export async function ensureLocalRegistry(
  options: LocalRegistryToolOptions,
  ctx: OperationContext = {},
): Promise<RegistryAddress> {
  const port = options.port ?? DEFAULT_LOCAL_REGISTRY_PORT;
  const address = parseRegistryAddress(`localhost:${port}`);
  // `container inspect` works alike in podman and docker: absent → it fails; present → `true` or `false`.
  const state = await options.runner
    .run(
      options.engine,
      ['container', 'inspect', '-f', '{{.State.Running}}', LOCAL_REGISTRY_CONTAINER],
      runOptions(ctx),
    )
    .then((r) => r.stdout.trim())
    .catch(() => 'absent');
  // A stopped registry (after a reboot) is started again rather than replaced: it holds the pushed layers.
  if (state === 'false')
    await options.runner.run(options.engine, ['start', LOCAL_REGISTRY_CONTAINER], runOptions(ctx));
  if (state === 'absent')
    await options.runner.run(options.engine, localRegistryRunArgs(port), runOptions(ctx));
  return address;
}

/**
 * After the cluster exists: connects the registry to the `kind` network (once; "already exists" is fine) and
 * writes the `hosts.toml` into every node, so a pod's `localhost:<port>/…` image is pulled from the registry.
 */
export async function connectLocalRegistry(
  options: LocalRegistryToolOptions & {
    readonly nodes: readonly string[];
    readonly address: RegistryAddress;
    /** Where nodes reach the registry; `http://kind-registry:5000` when omitted. */
    readonly endpoint?: string;
    /** Skip `network connect` (a registry that is not kind's container). */
    readonly connectNetwork?: boolean;
  },
  ctx: OperationContext = {},
): Promise<void> {
  if (options.connectNetwork !== false) {
    await options.runner
      .run(options.engine, ['network', 'connect', 'kind', LOCAL_REGISTRY_CONTAINER], runOptions(ctx))
      .catch((error: unknown) => {
        if (!/already exists|already connected/i.test(String((error as Error).message))) throw error;
      });
  }
  const dir = registryHostsDir(options.address);
  const toml = registryHostsToml(options.endpoint ?? `http://${LOCAL_REGISTRY_CONTAINER}:5000`);
  for (const node of options.nodes) {
    await options.runner.run(options.engine, ['exec', node, 'mkdir', '-p', dir], runOptions(ctx));
    await options.runner.run(options.engine, ['exec', '-i', node, 'cp', '/dev/stdin', `${dir}/hosts.toml`], {
      ...runOptions(ctx),
      input: toml,
    });
  }
}

function runOptions(ctx: OperationContext) {
  return {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
    ...(ctx.logSource ? { logSource: ctx.logSource } : {}),
  };
}
