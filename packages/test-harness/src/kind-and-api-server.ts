import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  CONTENT_HASH_LABEL,
  CommandError,
  type CommandResult,
  type CommandRunner,
  type KubeObject,
  type RunningCommand,
  type RunOptions,
} from '@kubernaut-e2e/core';
import { parse as parseYaml } from 'yaml';
import { ApiObjects } from './api-server-objects.js';
import { KindNodeEmulator } from './kind-node-emulator.js';
import { type PrivateContainerd, startPrivateContainerd } from './private-containerd.js';
import { apiError, recordBuild, result, withoutRequestTimeout } from './stand-in-answers.js';

/*
 * Test-only: kind and a tiny Kubernetes API server, played at the process boundary for the services'
 * real-runtime integration tests. podman and everything else go to the real runner.
 *
 * - kind: `create cluster` writes the kubeconfig and starts a REAL private containerd as the node;
 *   `load image-archive` imports the archive into it exactly as a kind node does; `delete cluster` stops it
 *   and takes the cluster's entries out of the kubeconfig it was given (the file stays, as with kind).
 * - `podman exec <cluster>-control-plane crictl images -o json` is answered from that containerd.
 * - kubectl: `apply` and `patch` (also of the status subresource) keep and check the objects as the API server
 *   does (`ApiObjects`: unserved kinds, objects before their namespace, invalid Secrets and Services are refused);
 *   `wait --for=condition=Established crd/…` needs the CRD applied; `rollout status` succeeds only if the pods could
 *   start — their ServiceAccount, ConfigMaps and Secrets exist (`ApiObjects.podProblem`) and every container image
 *   is in the node's containerd (or is an external, version-pinned ref the node could pull: the ErrImageNeverPull
 *   rule) — and then opens each of the Deployment's Services' node ports on its kind host port (via the cluster
 *   config's port mappings), answering 200 on the paths the Deployment's probes ask on that port and 404 on
 *   anything else; `port-forward service/postgresql` "forwards" to the real PostgreSQL the test started.
 *
 * Any other command is recorded in `unexpected` and fails, so a test sees argv kind or kubectl would refuse.
 */

/** The label podman builds carry (the image-builder's content hash); core's `CONTENT_HASH_LABEL`. */
export const HASH_LABEL = CONTENT_HASH_LABEL;
const KIND_VERSION = 'kind v0.26.0 go1.23.4 linux/amd64\n';

interface Call {
  readonly argv: readonly string[];
  readonly env: RunOptions['env'];
}

export interface FakeCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** The kind `Cluster` config as kind read it from `--config`. */
  readonly config: {
    nodes: { extraPortMappings?: { containerPort: number; hostPort: number; protocol?: string }[] }[];
  };
  readonly node: PrivateContainerd;
  readonly loader: KindNodeEmulator;
  readonly objects: Map<string, KubeObject>;
  /** The API server's rules over `objects`. */
  readonly api: ApiObjects;
  readonly listeners: Server[];
  readonly rolledOut: string[];
}

type Spec = Record<string, unknown>;

/** Whether a process with that id still runs. */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Name → image ID (the config digest, what crictl and podman call the image ID) of every named image in the
 * node's containerd. `ctr images import --digests` also records `import-<date>@sha256:…` names; crictl shows
 * those as digests, not tags, so they are left out.
 */
export async function nodeImageIds(node: PrivateContainerd): Promise<Map<string, string>> {
  const listed = await node.ctr(['images', 'ls']);
  const ids = new Map<string, string>();
  for (const line of listed.stdout.split('\n').slice(1)) {
    const [name, , digest] = line.trim().split(/\s+/);
    if (!name || !digest || name.startsWith('import-')) continue;
    const manifest = JSON.parse((await node.ctr(['content', 'get', digest])).stdout) as {
      config: { digest: string };
    };
    ids.set(name, manifest.config.digest);
  }
  return ids;
}

function kindKubeconfig(name: string, apiPort: number): string {
  const ctx = `kind-${name}`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    certificate-authority-data: Q0E=',
    `    server: https://127.0.0.1:${apiPort}`,
    `  name: ${ctx}`,
    'contexts:',
    '- context:',
    `    cluster: ${ctx}`,
    `    user: ${ctx}`,
    `  name: ${ctx}`,
    `current-context: ${ctx}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${ctx}`,
    '  user:',
    '    client-certificate-data: Q0VSVA==',
    '    client-key-data: S0VZ',
    '',
  ].join('\n');
}

/** What kind leaves in `--kubeconfig` after `kind delete cluster`: the cluster's entries removed, the file kept. */
const EMPTIED_KUBECONFIG = [
  'apiVersion: v1',
  'clusters: null',
  'contexts: null',
  'current-context: ""',
  'kind: Config',
  'preferences: {}',
  'users: null',
  '',
].join('\n');

/** kind and a tiny API server at the process boundary; podman and everything else run for real. */
export class KindAndApiServer implements CommandRunner {
  readonly calls: Call[] = [];
  readonly unexpected: string[] = [];
  readonly clusters = new Map<string, FakeCluster>();
  /** Every cluster ever created (kept after delete, for assertions). */
  readonly created: FakeCluster[] = [];
  readonly deleted: string[] = [];
  /** Refs of images `podman build` built through this runner. */
  readonly built: string[] = [];
  /** Content hashes of those builds (podman's intermediate images carry them too). */
  readonly hashes = new Set<string>();
  /** Deployments whose images were found missing on the node (ErrImageNeverPull). */
  readonly neverPulled: string[] = [];
  /** The `kubectl port-forward` processes. */
  readonly forwards: RunningCommand[] = [];

  /** With `serializeBuilds`, each `podman build` waits for the previous one to end. */
  private buildChain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly real: CommandRunner,
    private readonly postgresPort: number,
    private readonly serializeBuilds = false,
    /** The engine kind is told to run its nodes with (`KIND_EXPERIMENTAL_PROVIDER`). */
    private readonly provider: 'podman' | 'docker' = 'podman',
  ) {}

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = [file, ...args];
    this.calls.push({ argv, env: options.env });
    if (file === 'podman') {
      if (args[0] === 'exec' && args.slice(2).join(' ') === 'crictl images -o json')
        return this.crictlImages(argv, args[1]!);
      if (args[0] === 'build') {
        recordBuild(args, this);
        if (this.serializeBuilds) {
          const build = this.buildChain.then(() => this.real.run(file, args, options));
          this.buildChain = build.catch(() => {});
          return build;
        }
      }
      return this.real.run(file, args, options);
    }
    if (file === 'kind') return this.kind(argv, args, options);
    if (file === 'kubectl') {
      if (args[0] === 'version') return this.real.run(file, args, options);
      return this.kubectl(argv, args, options);
    }
    return this.fail(argv, `unexpected command ${argv.join(' ')}`);
  }

  start(file: string, args: readonly string[], options: RunOptions = {}): RunningCommand {
    const argv = [file, ...args];
    this.calls.push({ argv, env: options.env });
    const [flag, kubeconfig, verb, nsFlag, namespace, target, ports, addressFlag, address] = args;
    const cluster = [...this.clusters.values()].find((c) => c.kubeconfigPath === kubeconfig);
    const service = cluster?.objects.get(`Service/${namespace}/${target?.replace(/^service\//, '')}`);
    const servicePorts = (service?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? [];
    if (
      file === 'kubectl' &&
      flag === '--kubeconfig' &&
      verb === 'port-forward' &&
      nsFlag === '-n' &&
      target?.startsWith('service/') &&
      addressFlag === '--address' &&
      address === '127.0.0.1' &&
      args.length === 9 &&
      servicePorts.some((p) => p.port === 5432) &&
      ports === ':5432'
    ) {
      // kubectl prints this once its listener is bound; the "listener" here is the real PostgreSQL.
      const line = `Forwarding from 127.0.0.1:${this.postgresPort} -> 5432`;
      const forward = this.real.start(process.execPath, [
        '-e',
        `console.log(${JSON.stringify(line)}); setInterval(() => {}, 1 << 30);`,
      ]);
      this.forwards.push(forward);
      return forward;
    }
    this.unexpected.push(argv.join(' '));
    return this.real.start(process.execPath, ['-e', 'console.error("unexpected command"); process.exit(1)']);
  }

  /** Stops every cluster's node and listeners (a safety net for a test that failed before its teardown). */
  async stopAll(): Promise<void> {
    for (const cluster of this.clusters.values()) {
      await Promise.all(cluster.listeners.map((s) => new Promise((r) => s.close(r))));
      await cluster.node.stop();
    }
    this.clusters.clear();
  }

  private fail(argv: readonly string[], message: string): never {
    this.unexpected.push(argv.join(' '));
    throw new Error(message);
  }

  private async kind(argv: readonly string[], args: readonly string[], options: RunOptions) {
    if (args.length === 1 && args[0] === 'version') return result(argv, KIND_VERSION);
    if (options.env?.KIND_EXPERIMENTAL_PROVIDER !== this.provider)
      return this.fail(argv, `kind must be told KIND_EXPERIMENTAL_PROVIDER=${this.provider}`);
    const [verb, what] = args;
    if (verb === 'get' && what === 'clusters' && args.length === 2) {
      const names = [...this.clusters.keys()].sort();
      return names.length === 0
        ? result(argv, '', 'enabling experimental podman provider\nNo kind clusters found.\n')
        : result(argv, `${names.join('\n')}\n`, 'enabling experimental podman provider\n');
    }
    if (verb === 'get' && what === 'kubeconfig') {
      const cluster = args.length === 4 && args[2] === '--name' ? this.clusters.get(args[3]!) : undefined;
      if (!cluster)
        return this.fail(argv, `kind get kubeconfig: unsupported argv or no cluster: ${args.join(' ')}`);
      return result(argv, kindKubeconfig(cluster.name, 40000 + this.created.indexOf(cluster) + 1));
    }
    if (verb === 'create' && what === 'cluster') {
      const [, , nameFlag, name, configFlag, configPath, kcFlag, kubeconfigPath, waitFlag, wait] = args;
      if (
        args.length !== 10 ||
        nameFlag !== '--name' ||
        configFlag !== '--config' ||
        kcFlag !== '--kubeconfig' ||
        waitFlag !== '--wait' ||
        !/^\d+s$/.test(wait ?? '')
      )
        return this.fail(argv, `kind create cluster: unsupported argv ${args.join(' ')}`);
      if (this.clusters.has(name!)) return this.fail(argv, `node(s) already exist for a cluster "${name}"`);
      const config = parseYaml(await readFile(configPath!, 'utf8')) as FakeCluster['config'] & {
        kind: string;
        apiVersion: string;
      };
      if (config.kind !== 'Cluster' || config.apiVersion !== 'kind.x-k8s.io/v1alpha4')
        return this.fail(argv, `kind config ${configPath} is not a kind.x-k8s.io/v1alpha4 Cluster`);
      const node = await startPrivateContainerd(this.real);
      const objects = new Map<string, KubeObject>();
      const cluster: FakeCluster = {
        name: name!,
        kubeconfigPath: kubeconfigPath!,
        config,
        node,
        loader: new KindNodeEmulator(this.real, node, name!),
        objects,
        api: new ApiObjects(objects),
        listeners: [],
        rolledOut: [],
      };
      this.clusters.set(name!, cluster);
      this.created.push(cluster);
      await writeFile(kubeconfigPath!, kindKubeconfig(name!, 40000 + this.created.length), { mode: 0o600 });
      return result(argv, '', `Creating cluster "${name}" ...\n ✓ Ready after 0s 💚\n`);
    }
    if (verb === 'load' && what === 'image-archive') {
      const cluster = this.clusters.get(args[4] ?? '');
      if (!cluster) return this.fail(argv, `ERROR: no nodes found for cluster "${args[4]}"`);
      return cluster.loader.run('kind', args, options);
    }
    if (verb === 'export' && what === 'logs') {
      const [, , dir, nameFlag, name] = args;
      if (args.length !== 5 || nameFlag !== '--name' || !this.clusters.has(name!))
        return this.fail(argv, `kind export logs: unsupported argv or no cluster: ${args.join(' ')}`);
      await mkdir(dir!, { recursive: true });
      await writeFile(join(dir!, 'kind-version.txt'), `${KIND_VERSION}\n`);
      return result(argv, '', `Exporting logs for cluster "${name}" to:\n${dir}\n`);
    }
    if (verb === 'delete' && what === 'cluster') {
      const [, , nameFlag, name, kcFlag, kubeconfigPath] = args;
      // Without --kubeconfig (a `down` whose cluster kubeconfig is gone), kind edits the default kubeconfig instead.
      if (
        (args.length !== 6 && args.length !== 4) ||
        nameFlag !== '--name' ||
        (args.length === 6 && kcFlag !== '--kubeconfig')
      )
        return this.fail(argv, `kind delete cluster: unsupported argv ${args.join(' ')}`);
      this.deleted.push(name!);
      const cluster = this.clusters.get(name!);
      if (cluster) {
        this.clusters.delete(name!);
        await Promise.all(cluster.listeners.map((s) => new Promise((r) => s.close(r))));
        await cluster.node.stop();
        if (kubeconfigPath === cluster.kubeconfigPath && existsSync(kubeconfigPath))
          await writeFile(kubeconfigPath, EMPTIED_KUBECONFIG);
      }
      return result(argv, '', `Deleting cluster "${name}" ...\n`);
    }
    return this.fail(argv, `unexpected kind command: kind ${args.join(' ')}`);
  }

  private async crictlImages(argv: readonly string[], container: string): Promise<CommandResult> {
    const cluster = [...this.clusters.values()].find((c) => `${c.name}-control-plane` === container);
    if (!cluster) return this.fail(argv, `Error: no container with name or ID "${container}" found`);
    const images = [...(await nodeImageIds(cluster.node))].map(([name, id]) => ({
      id,
      repoTags: [name],
      repoDigests: [],
      size: '0',
      uid: null,
      username: '',
    }));
    return result(argv, JSON.stringify({ images }, null, 2));
  }

  private async kubectl(argv: readonly string[], args: readonly string[], options: RunOptions) {
    const [flag, kubeconfig, ...afterKubeconfig] = args;
    // kubectl's global `--request-timeout=<n>s` (diagnostics give it): this API server always answers at once.
    const rest = withoutRequestTimeout(afterKubeconfig);
    const cluster = [...this.clusters.values()].find((c) => c.kubeconfigPath === kubeconfig);
    if (flag !== '--kubeconfig' || !cluster || !existsSync(kubeconfig!))
      return this.fail(argv, `kubectl without the kubeconfig of a running cluster: ${args.join(' ')}`);
    const [verb] = rest;
    if (verb === 'apply') {
      if (rest.join(' ') !== 'apply --server-side --field-manager=kubernaut-e2e --force-conflicts -f -')
        return this.fail(argv, `unsupported apply: ${rest.join(' ')}`);
      return cluster.api.apply(argv, String(options.input ?? ''));
    }
    if (verb === 'wait') {
      const [, condition, resource, ...more] = rest;
      const crd = resource?.startsWith('crd/') ? resource.slice(4) : undefined;
      if (
        condition !== '--for=condition=Established' ||
        !crd ||
        more.length !== 1 ||
        !/^--timeout=\d+s$/.test(more[0]!)
      )
        return this.fail(argv, `unsupported wait: ${rest.join(' ')}`);
      if (!cluster.objects.has(`CustomResourceDefinition//${crd}`))
        throw apiError(
          argv,
          `Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "${crd}" not found`,
        );
      return result(argv, `customresourcedefinition.apiextensions.k8s.io/${crd} condition met\n`);
    }
    if (verb === 'rollout') {
      const [, sub, resource, nsFlag, ns, timeout, ...more] = rest;
      if (sub !== 'status' || nsFlag !== '-n' || !/^--timeout=\d+s$/.test(timeout ?? '') || more.length > 0)
        return this.fail(argv, `unsupported rollout: ${rest.join(' ')}`);
      const name = resource?.replace(/^deployment\//, '');
      const deployment = cluster.objects.get(`Deployment/${ns}/${name}`);
      if (!deployment)
        throw apiError(argv, `Error from server (NotFound): deployments.apps "${name}" not found`);
      return this.rollout(argv, cluster, deployment);
    }
    if (verb === 'patch')
      return (
        cluster.api.patch(argv, rest.slice(1)) ?? this.fail(argv, `unsupported patch: ${rest.join(' ')}`)
      );
    if (verb === 'get' && rest.at(-2) === '-o' && rest.at(-1) === 'json') {
      // What a failed run's diagnostics read. The stand-in runs no pods and records no events; its one node is Ready.
      const [, resource, nsFlag] = rest;
      const namespaced = nsFlag === '-n' && rest.length === 6;
      if (resource === 'pods' && namespaced) return result(argv, kubeList([]));
      // The rollout wait's pod watch: the selector of the deployment (read once), then its pods by that selector.
      if (resource?.startsWith('deployment/') && namespaced) {
        const name = resource.slice('deployment/'.length);
        const deployment = cluster.objects.get(`Deployment/${rest[3]}/${name}`);
        if (!deployment)
          throw apiError(argv, `Error from server (NotFound): deployments.apps "${name}" not found`);
        return result(argv, JSON.stringify(deployment, null, 2));
      }
      if (resource === 'pods' && nsFlag === '-n' && rest[4] === '-l' && rest.length === 8)
        return result(argv, kubeList([]));
      if (resource === 'events' && namespaced) return result(argv, kubeList([]));
      if (resource === 'nodes' && rest.length === 4)
        return result(
          argv,
          kubeList([
            {
              apiVersion: 'v1',
              kind: 'Node',
              metadata: { name: `${cluster.name}-control-plane` },
              status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
            },
          ]),
        );
      return this.fail(argv, `unsupported get: ${rest.join(' ')}`);
    }
    return this.fail(argv, `unexpected kubectl command: ${rest.join(' ')}`);
  }

  /** Ready only if the node holds every image (or could pull a pinned external one); then opens node ports. */
  private async rollout(argv: readonly string[], cluster: FakeCluster, deployment: KubeObject) {
    const template = (deployment.spec as Spec).template as {
      metadata: { labels: Record<string, string> };
      spec: Spec;
    };
    const containers = [
      ...((template.spec.initContainers as Spec[] | undefined) ?? []),
      ...(template.spec.containers as Spec[]),
    ];
    const name = deployment.metadata.name;
    const namespace = deployment.metadata.namespace ?? 'default';
    const podProblem = cluster.api.podProblem(namespace, template.spec);
    if (podProblem !== undefined)
      // What kubectl prints when the pods never start (ContainerCreating, CreateContainerConfigError) until the timeout.
      throw new CommandError({
        argv,
        exitCode: 1,
        timedOut: false,
        stderrTail: [
          `Waiting for deployment "${name}" rollout to finish: 0 of 1 updated replicas are available...`,
          `(pods not started: ${podProblem})`,
          'error: timed out waiting for the condition',
        ],
      });
    const onNode = new Set(await cluster.node.imageNames());
    const missing = containers.filter((c) => {
      const image = String(c.image);
      // The kubelet expands a short name as docker does: `kubernaut/x:t` is `docker.io/kubernaut/x:t` on the node.
      if (onNode.has(image) || onNode.has(kubeletName(image))) return false;
      // An external image the kubelet may pull: a registry host and a version tag (never `latest`).
      const pinned =
        /^[a-z0-9.-]+\.[a-z]+\/.+:(?!latest$)[\w.-]+$/.test(image) && !image.startsWith('localhost/');
      return !(pinned && c.imagePullPolicy !== 'Never');
    });
    if (missing.length > 0) {
      this.neverPulled.push(name);
      // What kubectl prints when the pods sit in ErrImageNeverPull until the timeout.
      throw new CommandError({
        argv,
        exitCode: 1,
        timedOut: false,
        stderrTail: [
          `Waiting for deployment "${name}" rollout to finish: 0 of 1 updated replicas are available...`,
          `(pods in ErrImageNeverPull: not on the node: ${missing.map((c) => String(c.image)).join(', ')})`,
          'error: timed out waiting for the condition',
        ],
      });
    }
    cluster.rolledOut.push(name);
    // The deployment's Services with node ports now answer on the kind host ports mapped to them: 200 on the paths
    // its probes ask on that port (the container's health server), 404 on anything else.
    const mappings = cluster.config.nodes.flatMap((n) => n.extraPortMappings ?? []);
    for (const [key, service] of cluster.objects) {
      if (service.kind !== 'Service' || service.metadata.namespace !== namespace) continue;
      const ports = (service.spec as { ports?: { port: number; nodePort?: number }[] }).ports ?? [];
      for (const port of ports) {
        if (cluster.api.servedAt(service, port)?.deployment !== name) continue;
        const mapping = mappings.find((m) => m.containerPort === port.nodePort);
        // Already answering (a reused cluster whose deployment was rolled out before).
        if (
          !mapping ||
          cluster.listeners.some((l) => (l.address() as { port: number }).port === mapping.hostPort)
        )
          continue;
        const server = createHttpServer((req, res) => {
          // The Service and Deployment as they are now (a later apply may have changed them).
          const now = cluster.objects.get(key);
          const current = (
            now?.spec as { ports?: { port: number; nodePort?: number }[] } | undefined
          )?.ports?.find((p) => p.nodePort === port.nodePort);
          const served = now && current ? cluster.api.servedAt(now, current) : undefined;
          const path = new URL(req.url ?? '/', 'http://localhost').pathname;
          res.statusCode = served?.probePaths.includes(path) ? 200 : 404;
          res.end(`${name}\n`);
        });
        await new Promise<void>((resolve) => server.listen(mapping.hostPort, '127.0.0.1', resolve));
        cluster.listeners.push(server);
      }
    }
    return result(argv, `deployment "${name}" successfully rolled out\n`);
  }
}

/** A `kubectl get -o json` list. */
function kubeList(items: readonly unknown[]): string {
  return JSON.stringify(
    { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } },
    null,
    2,
  );
}

/** The name the kubelet looks a pod's image up by: docker's normalisation of a short name. */
function kubeletName(image: string): string {
  const first = image.split('/')[0]!;
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}
