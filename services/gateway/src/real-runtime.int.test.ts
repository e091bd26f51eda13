import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandError,
  type CommandResult,
  type CommandRunner,
  createCommandRunner,
  type KubeObject,
  RunLedger,
  type RunningCommand,
  type RunOptions,
  StepError,
} from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import {
  createToolchain,
  FIXTURE_PROJECT_ROOT,
  type InfrastructureHandle,
  PATTERNS,
  type Pattern,
  type SetupOptions,
  setupInfrastructure,
  TEST_DATABASE,
} from '@kubernaut-e2e/datastorage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  findPostgresBinDir,
  type PostgresServer,
  startPostgres,
} from '../../../packages/deployers/src/testing-internal/postgres-harness.js';
import { KindNodeEmulator } from '../../../packages/kind-loader/src/bench/kind-node-emulator.js';
import {
  type PrivateContainerd,
  startPrivateContainerd,
} from '../../../packages/kind-loader/src/bench/private-containerd.js';
import { gatewayService } from './gateway.js';

/*
 * The gateway's setup on the REAL toolchain `createToolchain({ runtime: 'podman' })` wires: real podman builds
 * of the fixture Dockerfiles and real `podman save -m` archives, the real kind provider and loader, the real
 * kubectl client, the real goose migrator against a real PostgreSQL, and the real HTTP/TCP prober. Only kind
 * and the API server cannot run on this machine; `KindAndApiServer` plays them at the process boundary:
 *
 * - kind: `create cluster` writes the kubeconfig and starts a REAL private containerd as the node;
 *   `load image-archive` imports the archive into it exactly as a kind node does; `delete cluster` stops it.
 * - `podman exec <cluster>-control-plane crictl images -o json` is answered from that containerd.
 * - kubectl: `apply` keeps the objects (refusing namespaced objects before their namespace, like the API
 *   server); `rollout status` succeeds only if every container image of the Deployment is in the node's
 *   containerd (or is an external, version-pinned ref the node could pull) — the ErrImageNeverPull rule —
 *   and then opens the Service's node port on its kind host port (via the cluster config's port mappings);
 *   `port-forward service/postgresql` forwards to the real PostgreSQL this suite started.
 */

// Debian keeps the PostgreSQL server binaries out of PATH; the guard below must find them.
const pgBin = findPostgresBinDir();
if (pgBin && !process.env.PATH?.split(':').includes(pgBin))
  process.env.PATH = `${pgBin}:${process.env.PATH ?? ''}`;

const HASH_LABEL = 'io.kubernaut-e2e.content-hash';
const KIND_VERSION = 'kind v0.26.0 go1.23.4 linux/amd64\n';

interface Call {
  readonly argv: readonly string[];
  readonly env: RunOptions['env'];
}

interface FakeCluster {
  readonly name: string;
  readonly kubeconfigPath: string;
  /** The kind `Cluster` config as kind read it from `--config`. */
  readonly config: {
    nodes: { extraPortMappings?: { containerPort: number; hostPort: number; protocol?: string }[] }[];
  };
  readonly node: PrivateContainerd;
  readonly loader: KindNodeEmulator;
  readonly objects: Map<string, KubeObject>;
  readonly listeners: Server[];
  readonly rolledOut: string[];
}

type Spec = Record<string, unknown>;

function result(argv: readonly string[], stdout = '', stderr = '', exitCode = 0): CommandResult {
  return { argv, stdout, stderr, exitCode, durationMs: 0 };
}

function isAlive(pid: number | undefined): boolean {
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
async function nodeImageIds(node: PrivateContainerd): Promise<Map<string, string>> {
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

/** kubectl's exit 1 with the API server's message on stderr. */
function apiError(argv: readonly string[], message: string): CommandError {
  return new CommandError({ argv, exitCode: 1, timedOut: false, stderrTail: [message] });
}

function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
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
class KindAndApiServer implements CommandRunner {
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
  ) {}

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = [file, ...args];
    this.calls.push({ argv, env: options.env });
    if (file === 'podman') {
      if (args[0] === 'exec' && args.slice(2).join(' ') === 'crictl images -o json')
        return this.crictlImages(argv, args[1]!);
      if (args[0] === 'build') {
        const tag = args.indexOf('--tag');
        if (tag >= 0) this.built.push(args[tag + 1]!);
        for (const arg of args)
          if (arg.startsWith(`${HASH_LABEL}=`)) this.hashes.add(arg.slice(HASH_LABEL.length + 1));
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
    if (options.env?.KIND_EXPERIMENTAL_PROVIDER !== 'podman')
      return this.fail(argv, 'kind must be told KIND_EXPERIMENTAL_PROVIDER=podman');
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
      const cluster: FakeCluster = {
        name: name!,
        kubeconfigPath: kubeconfigPath!,
        config,
        node,
        loader: new KindNodeEmulator(this.real, node, name!),
        objects: new Map(),
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
    if (verb === 'delete' && what === 'cluster') {
      const [, , nameFlag, name, kcFlag, kubeconfigPath] = args;
      if (args.length !== 6 || nameFlag !== '--name' || kcFlag !== '--kubeconfig')
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
    const [flag, kubeconfig, ...rest] = args;
    const cluster = [...this.clusters.values()].find((c) => c.kubeconfigPath === kubeconfig);
    if (flag !== '--kubeconfig' || !cluster || !existsSync(kubeconfig!))
      return this.fail(argv, `kubectl without the kubeconfig of a running cluster: ${args.join(' ')}`);
    const [verb] = rest;
    if (verb === 'apply') {
      if (rest.join(' ') !== 'apply --server-side --field-manager=kubernaut-e2e --force-conflicts -f -')
        return this.fail(argv, `unsupported apply: ${rest.join(' ')}`);
      const docs = parseAllDocuments(String(options.input ?? '')).map((d) => d.toJS() as KubeObject);
      for (const o of docs) {
        const ns = o.metadata.namespace;
        if (ns && !cluster.objects.has(`Namespace//${ns}`))
          throw apiError(argv, `Error from server (NotFound): namespaces "${ns}" not found`);
        cluster.objects.set(objectKey(o), o);
      }
      return result(
        argv,
        docs.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} serverside-applied`).join('\n'),
      );
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
    if (verb === 'patch') return result(argv);
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
    const onNode = new Set(await cluster.node.imageNames());
    const missing = containers.filter((c) => {
      const image = String(c.image);
      if (onNode.has(image)) return false;
      // An external image the kubelet may pull: a registry host and a version tag (never `latest`).
      const pinned =
        /^[a-z0-9.-]+\.[a-z]+\/.+:(?!latest$)[\w.-]+$/.test(image) && !image.startsWith('localhost/');
      return !(pinned && c.imagePullPolicy !== 'Never');
    });
    const name = deployment.metadata.name;
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
    // The deployment's Services with node ports now answer on the kind host ports mapped to them.
    const mappings = cluster.config.nodes.flatMap((n) => n.extraPortMappings ?? []);
    for (const service of cluster.objects.values()) {
      if (service.kind !== 'Service' || service.metadata.namespace !== deployment.metadata.namespace)
        continue;
      const spec = service.spec as { selector?: Record<string, string>; ports: { nodePort?: number }[] };
      const selects =
        spec.selector && Object.entries(spec.selector).every(([k, v]) => template.metadata.labels[k] === v);
      if (!selects) continue;
      for (const port of spec.ports) {
        const mapping = mappings.find((m) => m.containerPort === port.nodePort);
        // Already answering (a reused cluster whose deployment was rolled out before).
        if (
          !mapping ||
          cluster.listeners.some((l) => (l.address() as { port: number }).port === mapping.hostPort)
        )
          continue;
        const server = createHttpServer((req, res) => {
          res.statusCode = req.url === '/readyz' ? 200 : 404;
          res.end(`${name}\n`);
        });
        await new Promise<void>((resolve) => server.listen(mapping.hostPort, '127.0.0.1', resolve));
        cluster.listeners.push(server);
      }
    }
    return result(argv, `deployment "${name}" successfully rolled out\n`);
  }
}

describeWithBinaries(
  ['podman', 'initdb', 'pg_ctl', 'containerd', 'ctr', 'kubectl'],
  {
    podman: 'podman',
    initdb: 'postgresql',
    pg_ctl: 'postgresql',
    containerd: 'containerd',
    ctr: 'containerd',
    kubectl: 'kubernetes-client',
  },
  () => {
    const real = createCommandRunner();
    const nonce = randomBytes(4).toString('hex');
    let postgres: PostgresServer;
    let work: string;
    const imagesToRemove = new Set<string>();
    const buildHashes = new Set<string>();
    const runners: KindAndApiServer[] = [];

    beforeAll(async () => {
      postgres = await startPostgres({ runner: real });
      const admin = await postgres.connect('postgres');
      try {
        // The credentials the gateway's stack declares for the in-cluster PostgreSQL.
        await admin.query(`CREATE ROLE ${TEST_DATABASE.user} LOGIN PASSWORD '${TEST_DATABASE.password}'`);
      } finally {
        await admin.end();
      }
      work = await mkdtemp(join(tmpdir(), 'kubernaut-gw-real-'));
    });

    afterAll(async () => {
      // A failed assertion may have skipped a teardown: stop any "node" still running.
      for (const runner of runners) await runner.stopAll();
      // The content-hash cache images are kept on success by design; this suite's are removed here.
      for (const ref of imagesToRemove) await real.run('podman', ['rmi', '--force', ref]).catch(() => {});
      // podman keeps each build step as an intermediate image (its layer cache) carrying the build's labels.
      for (const hash of buildHashes) {
        const listed = await real
          .run('podman', ['images', '-a', '-q', '--filter', `label=${HASH_LABEL}=${hash}`])
          .catch(() => undefined);
        const ids = [...new Set(listed?.stdout.split('\n').filter(Boolean) ?? [])];
        if (ids.length > 0) await real.run('podman', ['rmi', '--force', ...ids]).catch(() => {});
      }
      await postgres?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    /** A copy of the fixture project whose image contents are unique to this run (no cache hits). */
    async function projectCopy(label: string): Promise<string> {
      const root = join(work, label);
      await cp(FIXTURE_PROJECT_ROOT, root, { recursive: true });
      await appendFile(join(root, 'cmd', 'gateway', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      await appendFile(join(root, 'cmd', 'datastorage', 'README.txt'), `\nrun ${nonce}-${label}\n`);
      return root;
    }

    async function freePorts(count: number): Promise<number[]> {
      const servers = await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<Server>((resolve) => {
              const s = createHttpServer();
              s.listen(0, '127.0.0.1', () => resolve(s));
            }),
        ),
      );
      const ports = servers.map((s) => (s.address() as { port: number }).port);
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      return ports;
    }

    const ledgerDirs = async () =>
      (await readdir(tmpdir())).filter((n) => n.startsWith('kubernaut-e2e-kind-'));
    const imageExists = (ref: string) =>
      real.run('podman', ['image', 'exists', ref]).then(
        () => true,
        () => false,
      );

    /** An empty database, as a fresh in-cluster PostgreSQL has. */
    async function freshDatabase(): Promise<void> {
      const admin = await postgres.connect('postgres');
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${TEST_DATABASE.database}`);
        await admin.query(`CREATE DATABASE ${TEST_DATABASE.database} OWNER ${TEST_DATABASE.user}`);
      } finally {
        await admin.end();
      }
    }

    interface SetupExtra {
      readonly pattern?: Pattern;
      readonly serializeBuilds?: boolean;
      /** Continue in the world of an earlier setup (its kind clusters), on the same host ports. */
      readonly after?: {
        runner: KindAndApiServer;
        ports: Record<'gateway' | 'datastorage' | 'postgresql', number>;
      };
      readonly options?: Pick<SetupOptions, 'keep' | 'reuseCluster'>;
    }

    async function setup(projectRoot: string, clusterName: string, extra: SetupExtra = {}) {
      await freshDatabase();
      const runner = extra.after?.runner ?? new KindAndApiServer(real, postgres.port, extra.serializeBuilds);
      runners.push(runner);
      const { gateway, datastorage, postgresql } =
        extra.after?.ports ??
        (([gateway, datastorage, postgresql]) => ({ gateway, datastorage, postgresql }))(
          (await freePorts(3)) as [number, number, number],
        );
      const kubeconfigPath = join(work, `${clusterName}.kubeconfig`);
      const ledger = new RunLedger();
      const { toolchain, runtime } = await createToolchain({
        runtime: 'podman',
        runner,
        projectRoot,
        ledger,
        coverage: false,
        env: {},
      });
      expect(runtime).toBe('podman');
      const run = setupInfrastructure(gatewayService, {
        toolchain,
        ledger,
        projectRoot,
        clusterName,
        pattern: extra.pattern ?? 'dag',
        ...extra.options,
        hostPorts: { gateway, datastorage, postgresql },
        kubeconfigPath,
        env: {},
      });
      // Whatever happens to the run, its images are removed after the suite.
      void run
        .finally(() => {
          for (const hash of runner.hashes) buildHashes.add(hash);
          for (const ref of runner.built) imagesToRemove.add(ref);
        })
        .catch(() => {});
      return { runner, run, kubeconfigPath, toolchain, ports: { gateway, datastorage, postgresql } };
    }

    it.each(PATTERNS)(
      '%s: sets up the gateway on the real toolchain: built images on the node, migrations in PostgreSQL, torn down clean',
      async (pattern) => {
        const projectRoot = await projectCopy(`ok-${pattern}`);
        const clusterName = `gwrt-${nonce}-${pattern}`;
        const dirsBefore = await ledgerDirs();
        const { runner, run, kubeconfigPath, ports } = await setup(projectRoot, clusterName, { pattern });
        let handle: InfrastructureHandle | undefined;
        try {
          handle = await run;
          for (const ref of Object.values(handle.images)) imagesToRemove.add(ref);
          expect(runner.unexpected).toEqual([]);

          // Endpoints a suite uses.
          expect(handle.endpoints).toEqual({
            gatewayUrl: `http://localhost:${ports.gateway}`,
            dataStorageUrl: `http://localhost:${ports.datastorage}`,
            postgresUrl: `postgresql://slm_user:test_password@localhost:${ports.postgresql}/action_history`,
          });
          expect(handle.kubeconfigPath).toBe(kubeconfigPath);
          const readyz = await fetch(`${handle.endpoints.gatewayUrl}/readyz`);
          expect(readyz.status).toBe(200);

          // Both images were really built (fresh content), with podman's `localhost/` names.
          expect(Object.keys(handle.images).sort()).toEqual(['datastorage', 'gateway']);
          expect([...runner.built].sort()).toEqual(Object.values(handle.images).sort());
          for (const ref of Object.values(handle.images)) {
            expect(ref).toMatch(/^localhost\/kubernaut\/(gateway|datastorage):gateway-e2e-[0-9a-f]{12,}$/);
            expect(await imageExists(ref)).toBe(true);
          }

          // The Deployments reference exactly the names containerd holds (the archive's name round trip).
          const cluster = runner.clusters.get(clusterName)!;
          const onNode = await nodeImageIds(cluster.node);
          expect([...onNode.keys()].sort()).toEqual(Object.values(handle.images).sort());
          // …and the node holds the very images podman built (same image ID: the archive's round trip).
          for (const ref of Object.values(handle.images)) {
            const inspected = await real.run('podman', ['image', 'inspect', '--format', '{{.Id}}', ref]);
            expect(onNode.get(ref)).toBe(`sha256:${inspected.stdout.trim()}`);
          }
          const deploymentImage = (name: string) => {
            const spec = cluster.objects.get(`Deployment/kubernaut-system/${name}`)!.spec as {
              template: { spec: { containers: { image: string }[] } };
            };
            return spec.template.spec.containers[0]!.image;
          };
          expect(deploymentImage('gateway')).toBe(handle.images.gateway);
          expect(deploymentImage('datastorage')).toBe(handle.images.datastorage);
          expect(deploymentImage('postgresql')).toMatch(/^docker\.io\/library\/postgres:\d/);
          expect(cluster.rolledOut.sort()).toEqual(['datastorage', 'gateway', 'postgresql', 'redis']);
          expect(runner.neverPulled).toEqual([]);

          // CRDs (Established) and the gateway's RBAC were applied.
          const kinds = (k: string) =>
            [...cluster.objects.values()].filter((o) => o.kind === k).map((o) => o.metadata.name);
          expect(kinds('CustomResourceDefinition').sort()).toEqual([
            'aianalyses.aianalysis.kubernaut.ai',
            'remediationrequests.remediation.kubernaut.ai',
            'signalprocessings.signalprocessing.kubernaut.ai',
            'workflowexecutions.workflowexecution.kubernaut.ai',
          ]);
          expect(kinds('ServiceAccount')).toContain('gateway');
          expect(kinds('ClusterRole').some((n) => n.includes('gateway'))).toBe(true);
          expect(kinds('ClusterRoleBinding').some((n) => n.includes('gateway'))).toBe(true);

          // The real goose migrator applied the fixture migrations to the real PostgreSQL.
          const db = await postgres.connect(TEST_DATABASE.database);
          try {
            const versions = await db.query<{ version_id: string }>(
              'SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0 ORDER BY version_id',
            );
            expect(versions.rows.map((r) => Number(r.version_id))).toEqual([1, 2, 3]);
            const tables = await db.query<{ table_name: string }>(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
            );
            const names = tables.rows.map((r) => r.table_name);
            expect(names).toContain('audit_events');
            expect(names).toContain('remediation_history');
          } finally {
            await db.end();
          }

          // The port-forward the migrations went through was closed.
          expect(runner.forwards).toHaveLength(1);
          expect(isAlive(runner.forwards[0]!.pid)).toBe(false);

          // Exact argv kind and kubectl accept.
          const argvs = runner.calls.map((c) => c.argv);
          expect(argvs).toContainEqual(['kind', 'get', 'clusters']);
          const create = argvs.find((a) => a[1] === 'create')!;
          expect(create).toEqual([
            'kind',
            'create',
            'cluster',
            '--name',
            clusterName,
            '--config',
            expect.stringMatching(/\/kind-config\.yaml$/),
            '--kubeconfig',
            kubeconfigPath,
            '--wait',
            '300s',
          ]);
          const load = argvs.filter((a) => a[0] === 'kind' && a[1] === 'load');
          // dag loads each image as soon as it and the cluster are ready: one archive per batch.
          expect(load.length).toBeGreaterThan(0);
          for (const argv of load)
            expect(argv).toEqual([
              'kind',
              'load',
              'image-archive',
              expect.stringMatching(/^\/.*\/images\.tar$/),
              '--name',
              clusterName,
            ]);
          expect(cluster.loader.archives.length).toBe(load.length);
          const save = argvs.find((a) => a[0] === 'podman' && a[1] === 'save')!;
          expect(save.slice(0, 3)).toEqual(['podman', 'save', '-m']);
          expect(argvs).toContainEqual([
            'kubectl',
            '--kubeconfig',
            kubeconfigPath,
            'rollout',
            'status',
            'deployment/gateway',
            '-n',
            'kubernaut-system',
            '--timeout=180s',
          ]);
          expect(argvs).toContainEqual([
            'kubectl',
            '--kubeconfig',
            kubeconfigPath,
            'port-forward',
            '-n',
            'kubernaut-system',
            'service/postgresql',
            ':5432',
            '--address',
            '127.0.0.1',
          ]);
          expect(argvs).toContainEqual([
            'kubectl',
            '--kubeconfig',
            kubeconfigPath,
            'wait',
            '--for=condition=Established',
            'crd/remediationrequests.remediation.kubernaut.ai',
            '--timeout=60s',
          ]);
          for (const call of runner.calls.filter((c) => c.argv[0] === 'kind' && c.argv[1] !== 'version'))
            expect(call.env).toEqual({ KIND_EXPERIMENTAL_PROVIDER: 'podman' });
        } finally {
          await handle?.teardown();
        }

        // Teardown: cluster deleted with its own kubeconfig, kubeconfig gone, nothing in temp.
        expect(runner.deleted).toEqual([clusterName]);
        expect(runner.calls.map((c) => c.argv)).toContainEqual([
          'kind',
          'delete',
          'cluster',
          '--name',
          clusterName,
          '--kubeconfig',
          kubeconfigPath,
        ]);
        expect(runner.clusters.size).toBe(0);
        expect(existsSync(kubeconfigPath)).toBe(false);
        expect(await ledgerDirs()).toEqual(dirsBefore);
        expect(existsSync(runner.created[0]!.node.dir)).toBe(false);
        // Every archive kind loaded was removed after the load.
        for (const archive of runner.created[0]!.loader.archives)
          expect(existsSync(archive.path)).toBe(false);
        // Only the content-hash cache images stay (by design), nothing else this run built.
        for (const ref of runner.built)
          expect(await imageExists(ref)).toBe(Object.values(handle!.images).includes(ref));
        expect(runner.unexpected).toEqual([]);
      },
    );

    it('a warm start reuses the kept cluster: nothing rebuilt or reloaded, and the reused cluster outlives teardown', async () => {
      const projectRoot = await projectCopy('warm');
      const clusterName = `gwrt-${nonce}-warm`;
      const first = await setup(projectRoot, clusterName, { options: { keep: 'always' } });
      const cold = await first.run;
      await cold.teardown();
      const { runner } = first;
      expect(runner.deleted).toEqual([]);
      expect(runner.clusters.has(clusterName)).toBe(true);
      expect(existsSync(first.kubeconfigPath)).toBe(true);

      const before = runner.calls.length;
      const second = await setup(projectRoot, clusterName, {
        after: { runner, ports: first.ports },
        options: { reuseCluster: true },
      });
      const warm = await second.run;
      const calls = runner.calls.slice(before).map((c) => c.argv);
      expect(warm.images).toEqual(cold.images);
      expect(calls).toContainEqual(['kind', 'get', 'kubeconfig', '--name', clusterName]);
      // The node's images were listed and every one was already there: no build, no archive, no load.
      expect(calls).toContainEqual([
        'podman',
        'exec',
        `${clusterName}-control-plane`,
        'crictl',
        'images',
        '-o',
        'json',
      ]);
      expect(calls.filter((a) => a[0] === 'podman' && ['build', 'save'].includes(a[1]!))).toEqual([]);
      expect(calls.filter((a) => a[0] === 'kind' && ['create', 'load'].includes(a[1]!))).toEqual([]);
      expect((await fetch(`${warm.endpoints.gatewayUrl}/readyz`)).status).toBe(200);

      // The cluster existed before this setup: its teardown leaves it (and its kubeconfig) as found.
      await warm.teardown();
      expect(runner.deleted).toEqual([]);
      expect(runner.clusters.has(clusterName)).toBe(true);
      expect(existsSync(second.kubeconfigPath)).toBe(true);

      // Deleting it on purpose (what `kubernaut-e2e down` does) passes its own kubeconfig to kind.
      await second.toolchain.cluster.delete(clusterName);
      expect(runner.calls.at(-1)?.argv).toEqual([
        'kind',
        'delete',
        'cluster',
        '--name',
        clusterName,
        '--kubeconfig',
        second.kubeconfigPath,
      ]);
      expect(runner.clusters.size).toBe(0);
      await rm(second.kubeconfigPath, { force: true });
      expect(runner.unexpected).toEqual([]);
    });

    it('a broken gateway Dockerfile fails its build step; the cluster, kubeconfig and built images are removed', async () => {
      const projectRoot = await projectCopy('broken');
      await appendFile(
        join(projectRoot, 'docker', 'gateway.Dockerfile'),
        'COPY cmd/no-such-directory/ /missing/\n',
      );
      const clusterName = `gwrt-${nonce}-b`;
      // The builds run one after the other here: a sibling build killed mid-commit by the cancellation that
      // follows the failure can leave buildah containers or a half-written image in podman's storage (see the
      // image-builder tests for the cancellation path itself).
      const dirsBefore = await ledgerDirs();
      const { runner, run, kubeconfigPath } = await setup(projectRoot, clusterName, {
        serializeBuilds: true,
      });
      const error = await run.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).stepId).toBe('build:gateway');
      expect((error as Error).message).toContain('no-such-directory');
      expect(runner.unexpected).toEqual([]);
      // keep=never: the cluster this run created is deleted, its kubeconfig removed.
      expect(runner.created.map((c) => c.name)).toEqual([clusterName]);
      expect(runner.deleted).toContain(clusterName);
      expect(runner.clusters.size).toBe(0);
      expect(existsSync(kubeconfigPath)).toBe(false);
      // Whatever this run built (DataStorage, fresh content) is removed again; nothing left in temp.
      expect(runner.built.length).toBeGreaterThan(0);
      for (const ref of runner.built)
        expect({ ref, exists: await imageExists(ref) }).toEqual({ ref, exists: false });
      expect(await ledgerDirs()).toEqual(dirsBefore);

      // Run it again unchanged: it fails the same way (the failed build left podman intermediate images
      // labelled with its content hash; none of them may pass for the gateway image).
      const retry = await setup(projectRoot, clusterName, { serializeBuilds: true });
      const again = await retry.run.catch((e: unknown) => e);
      expect(again).toBeInstanceOf(StepError);
      expect((again as StepError).stepId).toBe('build:gateway');
      expect(retry.runner.deleted).toContain(clusterName);
      expect(existsSync(retry.kubeconfigPath)).toBe(false);
    });
  },
);
