import { join } from 'node:path';
import { ConfigError, RunLedger } from '@kubernaut-e2e/core';
import {
  createToolchain,
  defaultOutputDir,
  gatherClusterDiagnostics,
  type LoadedConfig,
  resolveSetup,
  type Service,
} from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { serviceCommand } from '../setup-options.js';

/**
 * `gather <service>`: collects what a failed run collects — pods, events, describes, logs (current and
 * previous), node conditions, kind's logs — from the service's cluster while it is still up (kept with
 * `--keep on-failure|always`), into `<output folder>/diagnostics/<run>/`, and says what it recognises.
 */
export async function gatherCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { service, options } = serviceCommand(args, config, definition, io);
  if ((options.runtime ?? 'auto') === 'sim') {
    io.stdout('The simulated toolchain keeps no cluster between runs: there is nothing to gather.\n');
    return ExitCode.Ok;
  }
  const { namespace, kubeconfigPath, clusterName, plan } = await resolveSetup(definition, options);
  const ledger = new RunLedger();
  try {
    const { toolchain } = await createToolchain({
      runtime: options.runtime ?? 'auto',
      projectRoot: io.cwd,
      ledger,
      coverage: false,
      env: io.env,
    });
    if (!(await toolchain.cluster.exists(clusterName, { signal }))) {
      throw ConfigError.field(
        'service',
        `no cluster ${clusterName} is running; keep a failed run's cluster with --keep on-failure, then gather`,
        'gather',
      );
    }
    const dir = join(
      options.outputDir ?? defaultOutputDir(service, io.cwd, io.env),
      'diagnostics',
      ledger.runId,
    );
    const { lines } = await gatherClusterDiagnostics({
      kube: toolchain.kube(kubeconfigPath),
      provider: toolchain.cluster,
      clusterName,
      namespace,
      dir,
      plan,
    });
    io.stdout(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    await ledger.cleanup();
  }
}
