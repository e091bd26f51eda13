import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CommandResult,
  CommandRunner,
  KubeObject,
  RunningCommand,
  RunOptions,
} from '@kubernaut-e2e/core';
import { parseAllDocuments, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ApiObjects } from './api-server-objects.js';
import { type PrivateContainerd, startPrivateContainerd } from './private-containerd.js';
import { apiError, objectKey, recordBuild, result, withoutRequestTimeout } from './stand-in-answers.js';

/*
 * Test-only: a Kubernetes cluster that already exists and that many suites share, played at the process boundary
 * (the API-server half of `KindAndApiServer`, without kind: nobody creates or deletes this cluster). podman and
 * everything else go to the real runner.
 *
 * - The user's kubeconfig has two contexts; `kubectl config get-contexts -o name`, `cluster-info` and
 *   `config view --minify --flatten` answer from it. Every kubectl call must reach this cluster through a
 *   kubeconfig (and `--context`) whose server is this cluster's; anything else is recorded as unexpected.
 * - `apply` and `patch` keep and check objects as the API server does (`ApiObjects`); re-applying an object (a CRD
 *   from a second suite) replaces it, so it exists once. `delete` removes cluster-scoped objects by
 *   `kind.group/name`, and `delete namespace` removes the namespace with every object in it.
 * - `rollout status` succeeds only if the pods could start (`ApiObjects.podProblem`) and the node can get every
 *   container image: already on it, a pinned external image, or — what a shared cluster does — pulled from the
 *   registry for real into the node's REAL containerd.
 * - `port-forward` of a run's Service: `:5432` "forwards" to that namespace's own real PostgreSQL (each namespace
 *   has its own in-cluster database); `<local>:<remote>` opens a real listener on the local port — a TCP relay to
 *   the namespace's PostgreSQL for 5432, else an HTTP server that answers the paths the selected Deployment's
 *   probes ask on that port with 200 and `<service> <namespace>` (404 elsewhere), so a test sees which run's
 *   Service an endpoint reaches.
 */

interface Call {
  readonly argv: readonly string[];
}

interface KubeconfigFile {
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters?: { name: string; cluster: { server: string } }[];
  users?: { name: string; user: unknown }[];
  'current-context'?: string;
}

export interface ExistingClusterStandInOptions {
  /** The context that names this cluster in the user's kubeconfig. */
  readonly context: string;
  /** The PostgreSQL port of a namespace's in-cluster database (port-forwards to `service/postgresql`). */
  readonly postgresFor: (namespace: string) => number;
}

/** One shared cluster that exists before the tests and outlives them; see the file comment. */
export class ExistingClusterStandIn implements CommandRunner {
  readonly calls: Call[] = [];
  readonly unexpected: string[] = [];
  readonly objects = new Map<string, KubeObject>();
  /** The API server's rules over `objects`. */
  readonly api = new ApiObjects(this.objects);
  /** How many times each CRD was applied (each suite applies it; it exists once). */
  readonly crdApplies = new Map<string, number>();
  /** Keys of objects deleted, in order (`Namespace//gateway-…`, `ClusterRole//…`). */
  readonly deleted: string[] = [];
  /** Images the node pulled from a registry. */
  readonly pulled: string[] = [];
  /** Refs of images `podman build` built through this runner, and their content hashes. */
  readonly built: string[] = [];
  readonly hashes = new Set<string>();
  readonly forwards: RunningCommand[] = [];
  /** Services applied with a node port (a shared cluster's runs must not publish node ports: they collide). */
  readonly nodePortServices: string[] = [];

  private constructor(
    private readonly real: CommandRunner,
    private readonly options: ExistingClusterStandInOptions,
    readonly dir: string,
    readonly node: PrivateContainerd,
    /** The user's kubeconfig: this cluster's context and another one. */
    readonly kubeconfigPath: string,
    readonly server: string,
  ) {}

  static async start(
    real: CommandRunner,
    options: ExistingClusterStandInOptions,
  ): Promise<ExistingClusterStandIn> {
    const dir = await mkdtemp(join(tmpdir(), 'kubernaut-shared-cluster-'));
    const node = await startPrivateContainerd(real);
    const server = 'https://127.0.0.1:46443';
    const kubeconfigPath = join(dir, 'config');
    const file: KubeconfigFile = {
      clusters: [
        { name: 'shared', cluster: { server } },
        { name: 'elsewhere', cluster: { server: 'https://10.0.0.1:6443' } },
      ],
      contexts: [
        { name: options.context, context: { cluster: 'shared', user: 'ci' } },
        { name: 'someone-elses', context: { cluster: 'elsewhere', user: 'ci' } },
      ],
      users: [{ name: 'ci', user: { token: 'test-token' } }],
      'current-context': 'someone-elses',
    };
    await writeFile(kubeconfigPath, stringifyYaml({ apiVersion: 'v1', kind: 'Config', ...file }), {
      mode: 0o600,
    });
    return new ExistingClusterStandIn(real, options, dir, node, kubeconfigPath, server);
  }

  /** Namespaces that exist now. */
  namespaces(): string[] {
    return [...this.objects.values()].filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
  }

  /** Objects of a kind, optionally in one namespace. */
  ofKind(kind: string, namespace?: string): KubeObject[] {
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  /** Stops the forwards, the node and removes the kubeconfig's directory. */
  async stop(): Promise<void> {
    await Promise.all(this.forwards.map((f) => f.stop()));
    await this.node.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = [file, ...args];
    this.calls.push({ argv });
    if (file === 'podman') {
      if (args[0] === 'build') {
        recordBuild(args, this);
      }
      return this.real.run(file, args, options);
    }
    if (file === 'kubectl') {
      if (args[0] === 'version') return this.real.run(file, args, options);
      return this.kubectl(argv, args, options);
    }
    return this.fail(argv, `unexpected command ${argv.join(' ')}`);
  }

  start(file: string, args: readonly string[], _options: RunOptions = {}): RunningCommand {
    const argv = [file, ...args];
    this.calls.push({ argv });
    const rest = file === 'kubectl' ? this.restAfterKubeconfigSync(args) : undefined;
    const [verb, nsFlag, namespace, target, ports, addressFlag, address, ...more] = rest ?? [];
    const service = this.objects.get(`Service/${namespace}/${target?.replace(/^service\//, '')}`);
    const servicePorts = (service?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? [];
    const [local, remote] = (ports ?? '').split(':');
    const servicePort = (
      service?.spec as { ports?: { port: number; targetPort?: number | string }[] } | undefined
    )?.ports?.find((p) => String(p.port) === remote);
    if (
      verb === 'port-forward' &&
      nsFlag === '-n' &&
      target?.startsWith('service/') &&
      addressFlag === '--address' &&
      address === '127.0.0.1' &&
      more.length === 0 &&
      servicePorts.some((p) => String(p.port) === remote)
    ) {
      const forward = this.real.start(process.execPath, [
        '-e',
        forwardScript({
          local: local === '' ? undefined : Number(local),
          remote: Number(remote),
          postgresPort: this.options.postgresFor(namespace!),
          answer: `${target!.slice('service/'.length)} ${namespace}`,
          paths: service && servicePort ? (this.api.servedAt(service, servicePort)?.probePaths ?? []) : [],
        }),
      ]);
      this.forwards.push(forward);
      return forward;
    }
    this.unexpected.push(argv.join(' '));
    return this.real.start(process.execPath, ['-e', 'console.error("unexpected command"); process.exit(1)']);
  }

  private fail(argv: readonly string[], message: string): never {
    this.unexpected.push(argv.join(' '));
    throw new Error(message);
  }

  /** `--kubeconfig <file> [--context <name>] …` reaching this cluster → the rest of argv; else undefined. */
  private async restAfterKubeconfig(args: readonly string[]): Promise<string[] | undefined> {
    const [flag, path] = args;
    if (flag !== '--kubeconfig' || !path || !existsSync(path)) return undefined;
    const file = parseYaml(await readFile(path, 'utf8')) as KubeconfigFile;
    const withContext = args[2] === '--context';
    const contextName = withContext ? args[3] : file['current-context'];
    const context = file.contexts?.find((c) => c.name === contextName);
    const cluster = file.clusters?.find((c) => c.name === context?.context.cluster);
    // `config get-contexts` reads the file only; everything else must reach this cluster.
    const rest = withoutRequestTimeout(args.slice(withContext ? 4 : 2));
    if (rest.join(' ') === 'config get-contexts -o name') return rest;
    return cluster?.cluster.server === this.server ? rest : undefined;
  }

  /** The same for `start` (port-forward), which is synchronous: its kubeconfig was checked by earlier calls. */
  private restAfterKubeconfigSync(args: readonly string[]): string[] | undefined {
    if (args[0] !== '--kubeconfig' || !args[1] || !existsSync(args[1])) return undefined;
    return args.slice(args[2] === '--context' ? 4 : 2);
  }

  private async kubectl(argv: readonly string[], args: readonly string[], options: RunOptions) {
    const rest = await this.restAfterKubeconfig(args);
    if (!rest)
      return this.fail(argv, `kubectl without a kubeconfig and context of this cluster: ${args.join(' ')}`);
    const joined = rest.join(' ');
    if (joined === 'config get-contexts -o name') {
      const file = parseYaml(await readFile(args[1]!, 'utf8')) as KubeconfigFile;
      return result(argv, `${(file.contexts ?? []).map((c) => c.name).join('\n')}\n`);
    }
    if (joined === 'cluster-info')
      return result(argv, `Kubernetes control plane is running at ${this.server}\n`);
    if (joined === 'config view --minify --flatten') {
      const file = parseYaml(await readFile(args[1]!, 'utf8')) as KubeconfigFile;
      const context = file.contexts!.find((c) => c.name === args[3])!;
      const minified = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: file.clusters!.filter((c) => c.name === context.context.cluster),
        contexts: [context],
        users: file.users!.filter((u) => u.name === context.context.user),
        'current-context': context.name,
      };
      return result(argv, stringifyYaml(minified));
    }
    const [verb] = rest;
    if (verb === 'apply') return this.apply(argv, rest, options);
    if (verb === 'wait') {
      const [, condition, resource, ...more] = rest;
      const crd = resource?.startsWith('crd/') ? resource.slice(4) : undefined;
      if (condition !== '--for=condition=Established' || !crd || more.length !== 1)
        return this.fail(argv, `unsupported wait: ${joined}`);
      if (!this.objects.has(`CustomResourceDefinition//${crd}`))
        throw apiError(argv, `Error from server (NotFound): customresourcedefinitions "${crd}" not found`);
      return result(argv, `customresourcedefinition.apiextensions.k8s.io/${crd} condition met\n`);
    }
    if (verb === 'rollout') {
      const [, sub, resource, nsFlag, ns, timeout, ...more] = rest;
      if (sub !== 'status' || nsFlag !== '-n' || !/^--timeout=\d+s$/.test(timeout ?? '') || more.length > 0)
        return this.fail(argv, `unsupported rollout: ${joined}`);
      const name = resource?.replace(/^deployment\//, '');
      const deployment = this.objects.get(`Deployment/${ns}/${name}`);
      if (!deployment)
        throw apiError(argv, `Error from server (NotFound): deployments.apps "${name}" not found`);
      const problem = this.api.podProblem(
        ns!,
        (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec,
      );
      if (problem !== undefined)
        throw apiError(
          argv,
          `deployment "${name}": pods not started: ${problem}\nerror: timed out waiting for the condition`,
        );
      await this.pullImages(argv, deployment);
      return result(argv, `deployment "${name}" successfully rolled out\n`);
    }
    if (verb === 'delete') return this.delete(argv, rest);
    if (verb === 'patch')
      return this.api.patch(argv, rest.slice(1)) ?? this.fail(argv, `unsupported patch: ${joined}`);
    if (verb === 'get' && rest.at(-2) === '-o' && rest.at(-1) === 'json')
      return result(argv, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
    return this.fail(argv, `unexpected kubectl command: ${joined}`);
  }

  private apply(argv: readonly string[], rest: readonly string[], options: RunOptions) {
    if (rest.join(' ') !== 'apply --server-side --field-manager=kubernaut-e2e --force-conflicts -f -')
      return this.fail(argv, `unsupported apply: ${rest.join(' ')}`);
    const input = String(options.input ?? '');
    const answer = this.api.apply(argv, input);
    for (const o of parseAllDocuments(input).map((d) => d.toJS() as KubeObject | null)) {
      if (!o) continue;
      if (o.kind === 'CustomResourceDefinition')
        this.crdApplies.set(o.metadata.name, (this.crdApplies.get(o.metadata.name) ?? 0) + 1);
      const ports = (o.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? [];
      if (o.kind === 'Service' && ports.some((p) => p.nodePort !== undefined))
        this.nodePortServices.push(objectKey(o));
    }
    return answer;
  }

  private delete(argv: readonly string[], rest: readonly string[]) {
    const flags = rest.filter((a) => a.startsWith('--'));
    const refs = rest.slice(1).filter((a) => !a.startsWith('--'));
    if (flags.join(' ') !== '--ignore-not-found --timeout=300s' || refs.length === 0)
      return this.fail(argv, `unsupported delete: ${rest.join(' ')}`);
    if (refs[0] === 'namespace') {
      if (refs.length !== 2) return this.fail(argv, `unsupported delete: ${rest.join(' ')}`);
      const ns = refs[1]!;
      for (const [key, o] of this.objects) if (o.metadata.namespace === ns) this.objects.delete(key);
      if (this.objects.delete(`Namespace//${ns}`)) this.deleted.push(`Namespace//${ns}`);
      return result(argv, `namespace "${ns}" deleted\n`);
    }
    const lines: string[] = [];
    for (const ref of refs) {
      const [type, name] = ref.split('/');
      const kind = type?.split('.')[0];
      const match = [...this.objects.values()].find(
        (o) =>
          o.metadata.namespace === undefined && o.kind.toLowerCase() === kind && o.metadata.name === name,
      );
      if (!match) continue;
      this.objects.delete(objectKey(match));
      this.deleted.push(objectKey(match));
      lines.push(`${type} "${name}" deleted`);
    }
    return result(argv, `${lines.join('\n')}\n`);
  }

  /** Every container image on the node, else pinned external, else pulled for real from its registry. */
  private async pullImages(argv: readonly string[], deployment: KubeObject) {
    const template = (deployment.spec as { template: { spec: Record<string, unknown> } }).template;
    const containers = [
      ...((template.spec.initContainers as { image: string }[] | undefined) ?? []),
      ...(template.spec.containers as { image: string }[]),
    ];
    for (const { image } of containers) {
      const onNode = new Set(await this.node.imageNames());
      if (onNode.has(image)) continue;
      if (/^[a-z0-9.-]+\.[a-z]+\/.+:(?!latest$)[\w.-]+$/.test(image) && !image.startsWith('localhost/'))
        continue;
      if (!/^(localhost|127\.0\.0\.1):\d+\//.test(image))
        throw apiError(
          argv,
          `deployment "${deployment.metadata.name}": image ${image} cannot be pulled (ErrImagePull)`,
        );
      try {
        await this.node.ctr(['images', 'pull', '--plain-http', image]);
      } catch (error) {
        throw apiError(
          argv,
          `deployment "${deployment.metadata.name}": ErrImagePull ${image}: ${(error as Error).message}`,
        );
      }
      this.pulled.push(image);
    }
  }
}

/** The forward's process: prints kubectl's line once its listener is bound (the `:5432` form binds nothing). */
function forwardScript(f: {
  local?: number;
  remote: number;
  postgresPort: number;
  answer: string;
  paths: readonly string[];
}): string {
  if (f.local === undefined)
    return `console.log(${JSON.stringify(`Forwarding from 127.0.0.1:${f.postgresPort} -> ${f.remote}`)}); setInterval(() => {}, 1 << 30);`;
  const line = JSON.stringify(`Forwarding from 127.0.0.1:${f.local} -> ${f.remote}`);
  const server =
    f.remote === 5432
      ? `require('node:net').createServer((c) => { const u = require('node:net').connect(${f.postgresPort}, '127.0.0.1'); c.pipe(u).pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); })`
      : `require('node:http').createServer((q, s) => { s.statusCode = ${JSON.stringify(f.paths)}.includes(new URL(q.url, 'http://localhost').pathname) ? 200 : 404; s.end(${JSON.stringify(`${f.answer}\n`)}); })`;
  return `${server}.listen(${f.local}, '127.0.0.1', () => console.log(${line}));`;
}
