import type { MigrationReport, PortForward } from '@kubernaut-e2e/core';
import type { MigrateStep } from '../plan/types.js';
import { op } from './operation.js';
import type { HandlerContext } from './types.js';

/**
 * Applies the migrations through a port-forward to the database, and closes the forward whatever
 * happens (success, failure, cancellation). This is kubernaut-e2e's only "migrate through a
 * port-forward": the deployers package provides the ports it runs on (the kubectl client and the goose
 * migrator), not a second copy of the step.
 *
 * When the migration fails, the step fails with the migration's error — that is what the user has to
 * fix — even if closing the forward then fails as well; the close failure is still reported, in the
 * step's log and its trace note, never instead of it. When only the close fails, the step fails with
 * that error: the kubectl process may still be running.
 */
export async function migrate(step: MigrateStep, ctx: HandlerContext): Promise<void> {
  const { via, database, directory } = step.payload.component;
  const forward = await ctx.state.kube().portForward(via.namespace, via.target, via.remotePort, op(ctx));
  let report: MigrationReport;
  try {
    report = await ctx.toolchain.migrator.migrate(
      { host: '127.0.0.1', port: forward.localPort, ...database },
      directory,
      op(ctx),
    );
  } catch (migrationError) {
    await closeAfterFailure(forward, `${via.target}:${via.remotePort}`, ctx);
    throw migrationError;
  }
  await forward.close();
  ctx.note(`applied ${report.applied.length}, at version ${report.version}`);
}

/** Closes the forward after the migration failed; a close failure is reported, not thrown. */
async function closeAfterFailure(forward: PortForward, target: string, ctx: HandlerContext): Promise<void> {
  try {
    await forward.close();
  } catch (closeError) {
    const reason = closeError instanceof Error ? closeError.message : String(closeError);
    const text = `closing the port-forward to ${target} also failed (after the migration failed): ${reason}`;
    ctx.log({ source: ctx.logSource, stream: 'stderr', text, at: ctx.toolchain.clock.now() });
    ctx.note(`port-forward to ${target} did not close: ${reason}`);
  }
}
