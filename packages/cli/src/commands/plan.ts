import { EventStream } from '@kubernaut-e2e/core';
import { type InfrastructureHandle, setupInfrastructure } from '@kubernaut-e2e/datastorage';
import { renderGantt } from '@kubernaut-e2e/orchestrator';
import { PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs, ServiceName } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { SERVICE_DEFINITIONS } from '../services.js';
import { writeTraceFiles } from '../trace-files.js';

/**
 * `plan <service>`: the step graph of the chosen pattern and its predicted timeline. It always runs on the
 * simulated toolchain, so it touches nothing on this machine whatever `--runtime` says.
 */
export async function planCommand(args: CliArgs, io: CliIo): Promise<number> {
  const service = args.services[0] as ServiceName;
  const infra: InfrastructureHandle = await setupInfrastructure(SERVICE_DEFINITIONS[service], {
    pattern: args.pattern,
    runtime: 'sim',
    coverage: args.coverage,
    ...(args.clusterName ? { clusterName: args.clusterName } : {}),
    ...(args.projectRoot ? { projectRoot: args.projectRoot } : {}),
    events: new EventStream(),
    env: io.env,
  });
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
      `${JSON.stringify({ service, pattern: args.pattern, predicted: true, makespanMs: infra.trace.makespanMs, steps: graph }, null, 2)}\n`,
    );
    return ExitCode.Ok;
  }
  io.stdout(`Plan for ${service} (${args.pattern}): ${steps.length} steps\n\n`);
  for (const step of steps) {
    io.stdout(
      `  ${step.id.padEnd(24)} ${step.deps.length ? `← ${step.deps.join(', ')}` : '(no dependencies)'}\n`,
    );
  }
  io.stdout(`\nPredicted timeline (${PREDICTION_LABEL}):\n\n${renderGantt(infra.trace, { width: 60 })}\n`);
  for (const line of files) io.stdout(`${line}\n`);
  return ExitCode.Ok;
}
