import { EventStream } from '@kubernaut-e2e/core';
import { renderGantt } from '@kubernaut-e2e/orchestrator';
import {
  diagnosticsOfFailedSetup,
  type LoadedConfig,
  type Service,
  setupInfrastructure,
  traceOfFailedSetup,
} from '@kubernaut-e2e/setup';
import { PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { attachProgress } from '../progress/attach-progress.js';
import { printResult } from '../result/print-result.js';
import { RESULT_SCHEMA_VERSION } from '../result/run-result.js';
import { serviceCommand } from '../setup-options.js';
import { stoppedStepLines } from '../stopped-steps.js';
import { defaultTraceFiles, writeTraceFiles } from '../trace-files.js';

/**
 * `up <service>`: set the infrastructure up and leave it running (`down` removes it). On failure everything
 * the run created is removed, unless `--keep on-failure|always`, and the message names the step, the command
 * and its stderr tail.
 */
export async function upCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { service, options } = serviceCommand(args, config, definition, io, { buildsCheckout: true });
  const events = new EventStream();
  // With --output json|env the result is stdout's alone; progress still goes to stderr, as plain lines (a Go test's
  // log shows them).
  const machine = args.output !== undefined;
  const detach = attachProgress(events, machine ? { ...io, interactive: false } : io, false);
  try {
    const infra = await setupInfrastructure(definition, {
      ...options,
      events,
      log: events.logSink(),
      signal,
    });
    detach();
    // A simulated cluster lives only in this process: let go of its name and ports now. Its files (the CA beside the
    // kubeconfig) stay for the suite that reads them, until `down`.
    if (infra.runtime === 'sim') infra.detach();
    // On an existing cluster the endpoints are port-forwards of this process, which ends now; the namespace stays.
    if (infra.existingCluster) await infra.existingCluster.closeEndpoints();
    const targets = await traceTargets(args, io, service);
    const files = await writeTraceFiles(infra.trace, targets);
    if (args.output !== undefined) {
      printResult(io, args.output, {
        schemaVersion: RESULT_SCHEMA_VERSION,
        command: 'up',
        ok: true,
        service,
        runId: infra.runId,
        runtime: infra.runtime,
        pattern: infra.pattern,
        cluster: {
          name: infra.clusterName,
          kubeconfig: infra.kubeconfigPath,
          ...(infra.existingCluster ? { context: infra.existingCluster.context } : {}),
        },
        namespace: infra.namespace,
        ...(infra.caFile ? { caFile: infra.caFile } : {}),
        endpoints: infra.endpoints,
        images: infra.images,
        outputDir: infra.outputDir,
        ...(targets.trace ? { traceFile: targets.trace } : {}),
        ...(targets.timeline ? { timelineFile: targets.timeline } : {}),
        makespanMs: infra.trace.makespanMs,
        predicted: infra.runtime === 'sim',
      });
      return ExitCode.Ok;
    }
    const simulated = infra.runtime === 'sim';
    io.stdout(`\n${service} infrastructure is ready (${infra.pattern}, ${infra.runtime})\n\n`);
    io.stdout(`${renderGantt(infra.trace, { width: 60 })}\n`);
    if (simulated) io.stdout(`\nTimes are ${PREDICTION_LABEL}.\n`);
    io.stdout(
      `\nEndpoints:\n${Object.entries(infra.endpoints)
        .map(([k, v]) => `  ${k.padEnd(16)} ${v}`)
        .join('\n')}\n`,
    );
    io.stdout(
      `Images:\n${Object.entries(infra.images)
        .map(([k, v]) => `  ${k.padEnd(16)} ${v}`)
        .join('\n')}\n`,
    );
    if (infra.caFile) io.stdout(`CA (trust it for the https endpoints): ${infra.caFile}\n`);
    for (const line of files) io.stdout(`${line}\n`);
    if (infra.existingCluster) {
      const { context } = infra.existingCluster;
      io.stdout(
        `\nNamespace ${infra.namespace} on the existing cluster (context ${context}); the endpoints above were port-forwards of this command and are closed. The cluster is never deleted by kubernaut-e2e. Remove this run's namespace with:\n  kubectl --context ${context} delete namespace ${infra.namespace}\nand its ClusterRoles and ClusterRoleBindings, whose names start with ${infra.namespace}-.\n`,
      );
      return ExitCode.Ok;
    }
    io.stdout(
      simulated
        ? `\nSimulated: no cluster was created on this machine${infra.caFile ? ` (only the CA file above, which \`kubernaut-e2e down ${service} --runtime sim\` removes)` : ''}. Use --runtime podman|docker with kind and kubectl for a real cluster.\n`
        : `\nKUBECONFIG=${infra.kubeconfigPath}\nRemove it with: kubernaut-e2e down ${service}${args.clusterName ? ` --cluster-name ${args.clusterName}` : ''}\n`,
    );
    return ExitCode.Ok;
  } catch (error) {
    detach();
    const trace = traceOfFailedSetup(error);
    const diagnostics = diagnosticsOfFailedSetup(error);
    if (trace && !machine) io.stderr(`\n${renderGantt(trace, { width: 60 })}\n`);
    if (trace) {
      const failure = diagnostics
        ? {
            ...(diagnostics.report ? { diagnosticsDir: diagnostics.report.dir } : {}),
            stderrTails: diagnostics.stderrTails,
          }
        : undefined;
      for (const line of await writeTraceFiles(trace, await traceTargets(args, io, service), failure))
        io.stderr(`${line}\n`);
    }
    // Where the diagnostics are, and the few lines that tell what went wrong.
    if (diagnostics && diagnostics.lines.length > 0) io.stderr(`\n${diagnostics.lines.join('\n')}\n`);
    // The step(s) it stopped in and what they printed last, when the error itself does not say (deadline, SIGINT).
    const stopped = stoppedStepLines({
      message: error instanceof Error ? error.message : String(error),
      interrupted: signal.aborted,
      trace,
      stderrTails: diagnostics?.stderrTails ?? {},
    });
    if (stopped.length > 0) io.stderr(`\n${stopped.join('\n')}\n`);
    throw error;
  }
}

/** `--trace`/`--timeline` when given, else both in the service's output folder: a run always says where its trace is. */
async function traceTargets(
  args: CliArgs,
  io: CliIo,
  service: string,
): Promise<Pick<CliArgs, 'trace' | 'timeline'>> {
  if (args.trace || args.timeline) return args;
  return defaultTraceFiles(io.cwd, service, io.env);
}
