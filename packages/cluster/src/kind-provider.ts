import {
  type Clock,
  type ClusterCreateRequest,
  type ClusterDeleteOptions,
  type ClusterInfo,
  type ClusterProvider,
  type CommandRunner,
  ConfigError,
  type LogSink,
  type OperationContext,
} from '@kubernaut-e2e/core';
import { type ClusterLedger, createKindCluster } from './create-kind-cluster.js';
import type { KindEngine, KindToolOptions } from './kind-cli.js';
import type { KindClusterConfigInput } from './kind-config-schema.js';
import {
  deleteKindCluster,
  exportKindLogs,
  kindClusterExists,
  listKindNodeImages,
  loadKindImageArchive,
  writeKindKubeconfig,
} from './kind-lifecycle.js';

export interface KindProviderOptions {
  readonly runner: CommandRunner;
  readonly engine: KindEngine;
  /** Records what `create` makes (config temp dir, the cluster) for the run's cleanup. */
  readonly ledger?: ClusterLedger;
  readonly log?: LogSink;
  readonly kindBinary?: string;
  /** Prepare `/coverdata` in the control-plane node after every create. */
  readonly coverage?: boolean;
  readonly clock?: Pick<Clock, 'now' | 'sleep'>;
}

/**
 * The kind `ClusterProvider`: each port method is one of this package's kind functions, with the
 * provider's runner, engine and ledger. `ctx` adds cancellation and a per-step log.
 * `request.config` is a `KindClusterConfig` (input form); it is validated like `createKindCluster`'s.
 */
export function createKindProvider(options: KindProviderOptions): ClusterProvider {
  if (options.engine !== 'podman' && options.engine !== 'docker') {
    throw ConfigError.field(
      'engine',
      `engine must be 'podman' or 'docker', got ${JSON.stringify(options.engine)}`,
      'kind provider options',
    );
  }
  const tool = (ctx?: OperationContext): KindToolOptions => {
    const log = ctx?.log ?? options.log;
    return {
      runner: options.runner,
      engine: options.engine,
      ...(options.kindBinary ? { kindBinary: options.kindBinary } : {}),
      ...(log ? { log } : {}),
      ...(ctx?.logSource ? { logSource: ctx.logSource } : {}),
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
    };
  };

  // The kubeconfig each cluster was created with. `kind delete cluster` without `--kubeconfig` edits
  // `$KUBECONFIG` or `~/.kube/config` — the user's own file — instead of the cluster's, so the provider remembers
  // it; a cluster this provider did not create (a later `down`) gets it from the caller.
  const kubeconfigs = new Map<string, string>();

  return {
    name: 'kind',
    async create(request: ClusterCreateRequest, ctx?: OperationContext): Promise<ClusterInfo> {
      const info = await createKindCluster({
        ...tool(ctx),
        name: request.name,
        kubeconfigPath: request.kubeconfigPath,
        ...(request.config !== undefined ? { config: request.config as KindClusterConfigInput } : {}),
        ...(request.ifExists ? { ifExists: request.ifExists } : {}),
        ...(request.waitMs !== undefined ? { waitMs: request.waitMs } : {}),
        ...(options.coverage ? { coverage: true } : {}),
        ...(options.ledger ? { ledger: options.ledger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      kubeconfigs.set(info.name, info.kubeconfigPath);
      return { name: info.name, kubeconfigPath: info.kubeconfigPath, reused: info.reused };
    },
    exists: (name, ctx) => kindClusterExists(name, tool(ctx)),
    async delete(name: string, ctx?: OperationContext, deleteOptions?: ClusterDeleteOptions): Promise<void> {
      const kubeconfigPath = kubeconfigs.get(name) ?? deleteOptions?.kubeconfigPath;
      await deleteKindCluster(name, { ...tool(ctx), ...(kubeconfigPath ? { kubeconfigPath } : {}) });
      kubeconfigs.delete(name);
    },
    kubeconfig: (name, path, ctx) => writeKindKubeconfig(name, path, tool(ctx)),
    loadArchive: (name, archivePath, ctx) => loadKindImageArchive(name, archivePath, tool(ctx)),
    listNodeImages: (name, ctx) => listKindNodeImages(name, tool(ctx)),
    async exportLogs(name: string, dir: string, ctx?: OperationContext): Promise<void> {
      await exportKindLogs(name, dir, tool(ctx));
    },
  };
}
