import { EventStream } from '@kubernaut-e2e/core';
import { renderGantt } from '@kubernaut-e2e/orchestrator';
import {
  type InfrastructureHandle,
  type LoadedConfig,
  resolveSetup,
  type Service,
  setupInfrastructure,
} from '@kubernaut-e2e/setup';
import { PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { serviceCommand } from '../setup-options.js';
import { writeTraceFiles } from '../trace-files.js';

/**
 * `plan <service>`: the step graph of the chosen pattern and its predicted timeline. It always runs on the
 * simulated toolchain, so it touches nothing on this machine whatever `--runtime` says.
 */
export async function planCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
): Promise<number> {
  const { service, options: given } = serviceCommand(args, config, definition, io);
  // The simulator has no existing clusters: the graph is predicted on a simulated cluster of its own (same steps:
  // on the existing cluster the cluster step only checks the context). Bad input is still checked with it.
  if (given.cluster) await resolveSetup(definition, { ...given, runtime: 'podman' });
  const { cluster, ...rest } = given;
  // As on the existing cluster, no kind config: the host ports are the setup's own.
  const options = { ...rest, ...(cluster ? { kindConfig: false as const } : {}), runtime: 'sim' as const };
  const resolved = await resolveSetup(definition, options);
  const { pattern } = resolved;
  const notes = cluster
    ? [
        ...resolved.notes,
        `existing cluster (context ${cluster.existing.context}): nothing is created; the run deploys into namespace ${service}-<run id>, its images are pushed to the registry`,
      ]
    : resolved.notes;
  const infra: InfrastructureHandle = await setupInfrastructure(
    definition,
    { ...options, events: new EventStream() },
    resolved,
  );
  await infra.teardown();
  const files = await writeTraceFiles(infra.trace, args);
  const steps = infra.trace.steps.filter((s) => s.kind !== 'teardown');
  if (args.json) {
    const graph = steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: s.label,
      deps: s.deps,
      start: s.start,
      end: s.end,
    }));
    io.stdout(
      `${JSON.stringify({ service, pattern, notes, predicted: true, makespanMs: infra.trace.makespanMs, steps: graph }, null, 2)}\n`,
    );
    return ExitCode.Ok;
  }
  io.stdout(`Plan for ${service} (${pattern}): ${steps.length} steps\n`);
  for (const note of notes) io.stdout(`  ${note}\n`);
  io.stdout('\n');
  for (const step of steps) {
    io.stdout(
      `  ${step.id.padEnd(24)} ${step.deps.length ? `← ${step.deps.join(', ')}` : '(no dependencies)'}\n`,
    );
  }
  io.stdout(`\nPredicted timeline (${PREDICTION_LABEL}):\n\n${renderGantt(infra.trace, { width: 60 })}\n`);
  for (const line of files) io.stdout(`${line}\n`);
  return ExitCode.Ok;
}
