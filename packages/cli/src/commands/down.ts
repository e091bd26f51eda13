import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RunLedger } from '@kubernaut-e2e/core';
import { SERVICE_LABEL } from '@kubernaut-e2e/image-builder';
import {
  collectRunCoverage,
  createToolchain,
  defaultClusterName,
  defaultKubeconfigPath,
  defaultOutputDir,
  type LoadedConfig,
  newRunId,
  removeOrphansOf,
  resolveSetup,
  type ServiceDefinition,
} from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { setupOptionsFor } from '../setup-options.js';

/**
 * `down <service>`: deletes the service's kind cluster, its kubeconfig, and the images this tool built for the
 * service (found by their `io.kubernaut-e2e.service` label — never an image it did not build).
 */
export async function downCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: ServiceDefinition,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const service = definition.service;
  const options = setupOptionsFor(args, config, service, io.env, io.cwd);
  const clusterName = options.clusterName ?? defaultClusterName(service);
  const runtime = options.runtime ?? 'auto';
  if (runtime === 'sim') {
    io.stdout('The simulated toolchain keeps nothing between runs: there is nothing to remove.\n');
    return ExitCode.Ok;
  }
  const ledger = new RunLedger();
  try {
    const {
      toolchain,
      engine,
      runtime: resolved,
    } = await createToolchain({
      runtime,
      projectRoot: io.cwd,
      ledger,
      coverage: false,
      env: io.env,
    });
    // First what dead runs of this service left (a SIGKILLed `up`, a crashed test process).
    for (const line of await removeOrphansOf(service, runtime, io.env)) io.stdout(`${line}\n`);
    const removed: string[] = [];
    if (await toolchain.cluster.exists(clusterName, { signal })) {
      if (options.coverage && engine) {
        // The seed's teardown: scale the instrumented services to 0 so they write their counters, then copy
        // /coverdata out of the nodes before the cluster goes.
        const { namespace, kubeconfigPath, projectRoot } = await resolveSetup(definition, options);
        const { lines } = await collectRunCoverage({
          kube: toolchain.kube(kubeconfigPath),
          engine,
          namespace,
          projectRoot,
          dir: join(options.outputDir ?? defaultOutputDir(service, io.cwd), 'coverage', newRunId()),
        });
        io.stdout(`${lines.join('\n')}\n`);
      }
      await toolchain.cluster.delete(clusterName, { signal });
      removed.push(`cluster ${clusterName}`);
    }
    await rm(defaultKubeconfigPath(clusterName), { force: true });
    for (const image of (await engine?.findByLabel(SERVICE_LABEL, service, { signal })) ?? []) {
      for (const ref of image.refs) {
        await engine?.removeImage(ref, { signal });
        removed.push(`image ${ref}`);
      }
    }
    io.stdout(
      removed.length > 0
        ? `Removed (${resolved}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`
        : `Nothing to remove for ${service}: no cluster ${clusterName}, no images built for it.\n`,
    );
    return ExitCode.Ok;
  } finally {
    await ledger.cleanup();
  }
}
