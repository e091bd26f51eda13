import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RunLedger } from '@kubernaut-e2e/core';
import { createToolchain } from '@kubernaut-e2e/datastorage';
import { SERVICE_LABEL } from '@kubernaut-e2e/image-builder';
import type { CliArgs, ServiceName } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';

/**
 * `down <service>`: deletes the service's kind cluster, its kubeconfig, and the images this tool built for the
 * service (found by their `io.kubernaut-e2e.service` label — never an image it did not build).
 */
export async function downCommand(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
  const service = args.services[0] as ServiceName;
  const clusterName = args.clusterName ?? `${service}-e2e`;
  if (args.runtime === 'sim') {
    io.stdout('The simulated toolchain keeps nothing between runs: there is nothing to remove.\n');
    return ExitCode.Ok;
  }
  const ledger = new RunLedger();
  try {
    const { toolchain, engine, runtime } = await createToolchain({
      runtime: args.runtime,
      projectRoot: io.cwd,
      ledger,
      coverage: false,
      env: io.env,
    });
    const removed: string[] = [];
    if (await toolchain.cluster.exists(clusterName, { signal })) {
      await toolchain.cluster.delete(clusterName, { signal });
      removed.push(`cluster ${clusterName}`);
    }
    const kubeconfig = join(homedir(), '.kube', 'kubernaut-e2e', `${clusterName}.kubeconfig`);
    await rm(kubeconfig, { force: true });
    for (const image of (await engine?.findByLabel(SERVICE_LABEL, service, { signal })) ?? []) {
      for (const ref of image.refs) {
        await engine?.removeImage(ref, { signal });
        removed.push(`image ${ref}`);
      }
    }
    io.stdout(
      removed.length > 0
        ? `Removed (${runtime}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`
        : `Nothing to remove for ${service}: no cluster ${clusterName}, no images built for it.\n`,
    );
    return ExitCode.Ok;
  } finally {
    await ledger.cleanup();
  }
}
