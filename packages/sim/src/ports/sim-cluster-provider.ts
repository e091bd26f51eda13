import {
  type ClusterCreateRequest,
  type ClusterInfo,
  type ClusterProvider,
  clusterNameSchema,
  normalizeImageRef,
  type OperationContext,
  parseInput,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { loadDurationMs } from '../profile/timing-profile.js';
import { imageShortName } from '../world/image-ref.js';
import { type PortMapping, readPortMappings } from '../world/kind-config.js';
import { SimCluster } from '../world/sim-cluster.js';
import type { SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

/** What `create` checks before any (virtual) time passes; the name rule is kind's, from core. */
const clusterRequestSchema = z.looseObject({
  name: clusterNameSchema,
  kubeconfigPath: z.string().min(1, 'kubeconfigPath must not be empty'),
});

/**
 * `ClusterProvider` for simulated kind clusters. Nothing touches the disk: `create` and `kubeconfig`
 * return the kubeconfig path the caller chose without writing it (the simulated kube client is looked
 * up by that path), `exportLogs` only records the directory it was given.
 */
export class SimClusterProvider implements ClusterProvider {
  readonly name = 'sim';

  constructor(private readonly world: SimWorld) {}

  async create(request: ClusterCreateRequest, ctx?: OperationContext): Promise<ClusterInfo> {
    const { name, kubeconfigPath } = request;
    parseInput(clusterRequestSchema, request, 'cluster request');
    const mappings = readPortMappings(request.config);
    const argv = [
      'kind',
      'create',
      'cluster',
      '--name',
      name,
      '--kubeconfig',
      kubeconfigPath,
      '--config',
      '-',
    ];
    return this.world.operate(
      'cluster-create',
      [name],
      {
        argv,
        failure: [
          'ERROR: failed to create cluster: failed to init node with kubeadm: command "docker exec --privileged ' +
            `${name}-control-plane kubeadm init --skip-phases=preflight --config=/kind/kubeadm.conf --skip-token-print --v=6" failed with error: exit status 1`,
        ],
        transientFailure: [
          'ERROR: failed to create cluster: could not find a log line that matches "Reached target .*Multi-User System.*|detected cgroup v1"',
        ],
      },
      ctx,
      async () => {
        const existing = this.world.clusters.get(name);
        if (existing) {
          const policy = request.ifExists ?? 'fail';
          if (policy === 'fail') {
            throw toolError(
              argv,
              [
                `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
              ],
              "pass ifExists: 'reuse' or 'recreate', or delete the cluster",
            );
          }
          if (policy === 'reuse') {
            await this.world.sleep(this.world.profile.cluster.reuseMs, ctx);
            // A cluster that existed before the simulation started has no known config: it is taken to be
            // the one an earlier run created from this same request.
            if (existing.portMappings === undefined) {
              this.#checkHostPorts(name, mappings, argv);
              existing.portMappings = mappings;
            }
            existing.kubeconfigPath = kubeconfigPath;
            this.world.kubeconfigs.set(kubeconfigPath, name);
            return { name, kubeconfigPath, reused: true };
          }
          await this.world.sleep(this.world.profile.cluster.deleteMs, ctx);
          this.world.dropCluster(name);
        }
        this.#checkHostPorts(name, mappings, argv);
        await this.world.sleep(this.world.profile.cluster.createMs, ctx);
        const created = new SimCluster(name, kubeconfigPath, mappings, this.world.now());
        // Every simulated node reaches the simulated registry, as kind's local-registry pattern arranges.
        created.registry = this.world.registry;
        this.world.clusters.set(name, created);
        this.world.kubeconfigs.set(kubeconfigPath, name);
        return { name, kubeconfigPath, reused: false };
      },
    );
  }

  async exists(name: string): Promise<boolean> {
    return this.world.clusters.has(name);
  }

  /** Like `kind delete cluster`: deleting a cluster that does not exist succeeds. */
  async delete(name: string, ctx?: OperationContext): Promise<void> {
    const argv = ['kind', 'delete', 'cluster', '--name', name];
    await this.world.operate(
      'cluster-delete',
      [name],
      {
        argv,
        failure: [`ERROR: failed to delete cluster "${name}": error deleting nodes: exit status 1`],
        transientFailure: ['ERROR: failed to delete cluster: the container runtime is busy'],
      },
      ctx,
      async () => {
        if (!this.world.clusters.has(name)) return;
        await this.world.sleep(this.world.profile.cluster.deleteMs, ctx);
        this.world.dropCluster(name);
      },
    );
  }

  /** Returns `path` and binds it to the cluster; the file itself is not written. */
  async kubeconfig(name: string, path: string): Promise<string> {
    this.#cluster(name, ['kind', 'get', 'kubeconfig', '--name', name]);
    this.world.kubeconfigs.set(path, name);
    return path;
  }

  async loadArchive(name: string, archivePath: string, ctx?: OperationContext): Promise<void> {
    const argv = ['kind', 'load', 'image-archive', archivePath, '--name', name];
    const refs = this.world.archives.get(archivePath)?.refs ?? [];
    await this.world.operate(
      'load',
      [name, archivePath, ...refs, ...refs.map(imageShortName)],
      {
        argv,
        failure: [
          `ERROR: failed to load image: command "docker exec --privileged -i ${name}-control-plane ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -" failed with error: exit status 1`,
        ],
        transientFailure: [
          `ERROR: failed to load image: command "docker exec --privileged -i ${name}-control-plane ctr --namespace=k8s.io images import -" failed with error: signal: broken pipe`,
        ],
      },
      ctx,
      async () => {
        this.#cluster(name, argv);
        const archive = this.world.archives.get(archivePath);
        if (!archive)
          throw toolError(
            argv,
            [`ERROR: open ${archivePath}: no such file or directory`],
            'save the images to an archive first',
          );
        await this.world.sleep(loadDurationMs(this.world.profile, archive.refs.length), ctx);
        // The cluster may have been deleted (or recreated) while the archive was streaming in.
        const target = this.#cluster(name, argv);
        for (const ref of archive.refs) target.nodeImages.add(normalizeImageRef(ref));
      },
    );
  }

  async listNodeImages(name: string): Promise<readonly string[]> {
    const cluster = this.#cluster(name, [
      'docker',
      'exec',
      `${name}-control-plane`,
      'crictl',
      'images',
      '--output',
      'json',
    ]);
    return [...cluster.nodeImages].sort();
  }

  /** Records that logs were exported to `dir`; writes nothing. */
  async exportLogs(name: string, dir: string, ctx?: OperationContext): Promise<void> {
    const argv = ['kind', 'export', 'logs', dir, '--name', name];
    await this.world.operate(
      'export-logs',
      [name, dir],
      {
        argv,
        failure: ['ERROR: failed to export logs: exit status 1'],
        transientFailure: ['ERROR: failed to export logs: exit status 1'],
      },
      ctx,
      async () => {
        this.#cluster(name, argv).logExports.push(dir);
      },
    );
  }

  #cluster(name: string, argv: readonly string[]): SimCluster {
    const cluster = this.world.clusters.get(name);
    if (!cluster)
      throw toolError(argv, [`ERROR: no nodes found for cluster "${name}"`], 'create the cluster first');
    return cluster;
  }

  /** Two clusters cannot publish the same host port (docker refuses the second bind). */
  #checkHostPorts(name: string, mappings: readonly PortMapping[], argv: readonly string[]): void {
    for (const other of this.world.clusters.values()) {
      if (other.name === name) continue;
      for (const m of mappings) {
        if (other.portMappings?.some((o) => o.hostPort === m.hostPort)) {
          throw toolError(
            argv,
            [
              `ERROR: failed to create cluster: command "docker run --name ${name}-control-plane … --publish=0.0.0.0:${m.hostPort}:${m.containerPort}/TCP …" failed with error: exit status 125`,
              `Command Output: docker: Error response from daemon: driver failed programming external connectivity on endpoint ${name}-control-plane: Bind for 0.0.0.0:${m.hostPort} failed: port is already allocated.`,
            ],
            `host port ${m.hostPort} is already published by cluster "${other.name}"`,
          );
        }
      }
    }
  }
}
