// What the tests of the declarations in this folder share: a run on the simulated toolchain over the fixture project,
// and reading back, from the objects it applied, the files a container finds at a path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeObject } from '@kubernaut-e2e/core';
import { type InfrastructureHandle, type Service, setupInfrastructure } from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { parse } from 'yaml';

/** The project root `kubernaut-e2e.config.ts` names. */
export const FIXTURE_PROJECT = resolve(import.meta.dirname, '../services/fixture-project');

export interface SimRun {
  readonly infra: InfrastructureHandle;
  readonly objects: (kind: string) => KubeObject[];
  readonly object: (kind: string, name: string, namespace?: string) => KubeObject;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * `up` of a service on the simulated toolchain over the fixture project, its kubeconfig (and the CA file beside it)
 * and its run outputs in a temporary directory; disposing tears it down and removes the directory.
 */
export async function upOnSim(service: Service): Promise<SimRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-declarations-'));
  const toolchain = createSimToolchain();
  try {
    const infra = await setupInfrastructure(service, {
      runtime: 'sim',
      env: {},
      toolchain,
      projectRoot: FIXTURE_PROJECT,
      kubeconfigPath: join(dir, 'kubeconfig'),
      outputDir: join(dir, 'output'),
    });
    const cluster = toolchain.world.clusters.get(infra.clusterName)!;
    const objects = (kind: string) => cluster.objectsOfKind(kind);
    return {
      infra,
      objects,
      object: (kind, name, namespace = infra.namespace) => {
        const found = objects(kind).find(
          (o) => o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace,
        );
        if (!found) throw new Error(`no ${kind} ${namespace}/${name} was applied`);
        return found;
      },
      async [Symbol.asyncDispose]() {
        await infra.teardown();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
}
interface KeyItems {
  name: string;
  items?: { key: string; path: string }[];
}
interface Volume {
  name: string;
  configMap?: KeyItems;
  secret?: { secretName: string; items?: KeyItems['items'] };
  projected?: { sources: { configMap?: KeyItems; secret?: KeyItems }[] };
}
interface PodSpec {
  serviceAccountName?: string;
  containers: Container[];
  volumes?: Volume[];
}

export function podSpec(deployment: KubeObject): PodSpec {
  return (deployment.spec as { template: { spec: PodSpec } }).template.spec;
}

export function container(deployment: KubeObject, name: string): Container {
  const found = podSpec(deployment).containers.find((c) => c.name === name);
  if (!found) throw new Error(`deployment ${deployment.metadata.name} has no container "${name}"`);
  return found;
}

export function envOf(c: Container): Record<string, string> {
  return Object.fromEntries(
    (c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
  );
}

/** The `--config`/`-config` argument of a container, with `$(VAR)` expanded from its environment. */
export function configArgument(c: Container): string | undefined {
  const env = envOf(c);
  const args = (c.args ?? []).map((a) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, v: string) => env[v] ?? ''),
  );
  for (const [i, arg] of args.entries()) {
    const inline = /^--?config=(.+)$/.exec(arg);
    if (inline) return inline[1];
    if (arg === '-config' || arg === '--config') return args[i + 1];
  }
  return undefined;
}

/** The container port a probe targets (a port name resolved against the container's ports). */
export function probePort(c: Container, probe: 'readinessProbe' | 'livenessProbe'): number | undefined {
  const port = c[probe]?.httpGet?.port;
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * The content of the file a container sees at `path`, from the ConfigMap or Secret mounted over it (the deepest
 * mount wins, as in the kernel); `undefined` when nothing mounted provides it.
 */
export function fileAt(
  run: SimRun,
  deployment: KubeObject,
  containerName: string,
  path: string,
): string | undefined {
  const spec = podSpec(deployment);
  const mounts = [...(container(deployment, containerName).volumeMounts ?? [])].sort(
    (a, b) => b.mountPath.length - a.mountPath.length,
  );
  const mount = mounts.find((m) => path.startsWith(`${m.mountPath}/`));
  if (!mount) return undefined;
  const relative = path.slice(mount.mountPath.length + 1);
  const volume = spec.volumes?.find((v) => v.name === mount.name);
  const namespace = deployment.metadata.namespace;
  const keyIn = (source: KeyItems) =>
    source.items ? source.items.find((i) => i.path === relative)?.key : relative;
  const fromConfigMap = (source: KeyItems) => {
    const key = keyIn(source);
    const data = run.object('ConfigMap', source.name, namespace).data as Record<string, string> | undefined;
    return key === undefined ? undefined : data?.[key];
  };
  const fromSecret = (source: KeyItems) => {
    const key = keyIn(source);
    const secret = run.object('Secret', source.name, namespace);
    const text = (secret.stringData as Record<string, string> | undefined)?.[key ?? ''];
    const encoded = (secret.data as Record<string, string> | undefined)?.[key ?? ''];
    return text ?? (encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8'));
  };
  if (volume?.configMap) return fromConfigMap(volume.configMap);
  if (volume?.secret) return fromSecret({ name: volume.secret.secretName, items: volume.secret.items });
  for (const source of volume?.projected?.sources ?? []) {
    const found = source.configMap
      ? fromConfigMap(source.configMap)
      : source.secret && fromSecret(source.secret);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The YAML config file the container's `--config` names, parsed. */
export function configFile(run: SimRun, deployment: KubeObject, containerName: string) {
  const path = configArgument(container(deployment, containerName));
  if (path === undefined) throw new Error(`container ${containerName} is given no --config`);
  const text = fileAt(run, deployment, containerName, path);
  if (text === undefined) throw new Error(`nothing mounted in ${containerName} provides ${path}`);
  return { path, config: parse(text) as Record<string, unknown> };
}

/** ClusterRoles bound to a ServiceAccount in the run's namespace by RoleBindings. */
export function boundClusterRoles(run: SimRun, serviceAccount: string): string[] {
  return run
    .objects('RoleBinding')
    .filter((b) =>
      ((b.subjects as { kind: string; name: string }[] | undefined) ?? []).some(
        (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount,
      ),
    )
    .map((b) => b.roleRef as { kind: string; name: string })
    .filter((r) => r.kind === 'ClusterRole')
    .map((r) => r.name);
}

export interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

/** The rules of every ClusterRole bound cluster-wide (ClusterRoleBinding) to a ServiceAccount of the run. */
export function clusterRulesOf(run: SimRun, serviceAccount: string): Rule[] {
  return run
    .objects('ClusterRoleBinding')
    .filter((b) =>
      ((b.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? []).some(
        (s) =>
          s.kind === 'ServiceAccount' && s.name === serviceAccount && s.namespace === run.infra.namespace,
      ),
    )
    .flatMap((b) => {
      const role = run
        .objects('ClusterRole')
        .find((r) => r.metadata.name === (b.roleRef as { name: string }).name);
      return (role?.rules as Rule[] | undefined) ?? [];
    });
}

/** Whether the rules allow `verb` on `resource` of `apiGroup`. */
export function allows(rules: readonly Rule[], apiGroup: string, resource: string, verb: string): boolean {
  return rules.some(
    (r) => r.apiGroups.includes(apiGroup) && r.resources.includes(resource) && r.verbs.includes(verb),
  );
}
