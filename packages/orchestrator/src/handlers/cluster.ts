import { PlanError } from '@kubernaut-e2e/core';
import type { CreateClusterStep, TeardownStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

/**
 * Creates (or reuses) the cluster. It first asks whether the cluster already exists, so the teardown
 * knows whether this run owns it: a cluster that was there before is never deleted by us.
 */
export async function createCluster(step: CreateClusterStep, ctx: HandlerContext): Promise<void> {
  const request = step.payload;
  const existed = await ctx.toolchain.cluster.exists(request.name, op(ctx));
  const owned = !existed || request.ifExists === 'recreate';
  ctx.state.setCluster({ name: request.name, kubeconfigPath: request.kubeconfigPath, owned });
  const info = await ctx.toolchain.cluster.create(request, op(ctx));
  ctx.state.setCluster({ name: info.name, kubeconfigPath: info.kubeconfigPath, owned, reused: info.reused });
  ctx.state.clusterCreated = true;
  ctx.note(info.reused ? `reused existing cluster ${info.name}` : `created ${info.name}`);
}

/** A finalizer: export the cluster's logs, or delete it. The scheduler decides whether it runs at all. */
export async function teardown(step: TeardownStep, ctx: HandlerContext): Promise<void> {
  const { action, clusterName } = step.payload;
  if (action === 'export-logs') {
    if (!ctx.logsDir) throw new PlanError('export-logs needs a logsDir');
    await ctx.toolchain.cluster.exportLogs(clusterName, ctx.logsDir, op(ctx));
    ctx.note(`logs in ${ctx.logsDir}`);
    return;
  }
  await ctx.toolchain.cluster.delete(clusterName, op(ctx));
}
