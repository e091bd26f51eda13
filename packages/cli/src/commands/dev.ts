import { EventStream } from '@kubernaut-e2e/core';
import { formatDuration, renderGantt } from '@kubernaut-e2e/orchestrator';
import {
  type DevCycleReport,
  type DevLoopEvent,
  type LoadedConfig,
  type Service,
  startDevLoop,
  traceOfFailedSetup,
  type WatchedImageInfo,
} from '@kubernaut-e2e/setup';
import { PREDICTION_LABEL } from '@kubernaut-e2e/sim';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { attachProgress } from '../progress/attach-progress.js';
import { serviceCommand } from '../setup-options.js';

/**
 * `dev <service>`: the inner loop. Sets the infrastructure up (reusing the service's cluster when it is running),
 * then watches what each image's build reads; every burst of edits rebuilds the changed images, loads them, rolls
 * the deployments that run them and prints the time from the edit to ready. Ctrl-C stops watching and applies the
 * keep policy (exit 0: stopping is how a dev session ends). `--json` prints one JSON object per line.
 */
export async function devCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { service, options } = serviceCommand(args, config, definition, io, { buildsCheckout: true });
  const events = new EventStream();
  const detachProgress = attachProgress(events, io, args.json);
  let detached = false;
  const detach = () => {
    if (!detached) detachProgress();
    detached = true;
  };
  const simulated = options.runtime === 'sim';
  const json = (value: object) => io.stdout(`${JSON.stringify(value)}\n`);
  const print = (event: DevLoopEvent) => {
    if (event.type === 'watching') detach();
    if (args.json) json(event.type === 'cycle-finished' ? { type: event.type, ...event.report } : event);
    else io.stdout(describeEvent(event, service, simulated));
  };

  let loop: Awaited<ReturnType<typeof startDevLoop>>;
  try {
    loop = await startDevLoop(definition, {
      ...options,
      ...(args.debounce !== undefined ? { debounceMs: args.debounce } : {}),
      events,
      log: events.logSink(),
      signal,
      onEvent: print,
    });
  } catch (error) {
    detach();
    const trace = traceOfFailedSetup(error);
    if (trace && !args.json) io.stderr(`\n${renderGantt(trace, { width: 60 })}\n`);
    throw error;
  }
  const infra = loop.infrastructure;
  if (!args.json) {
    const keep = options.keep ?? 'never';
    io.stdout(
      `Ctrl-C stops watching; then the cluster is ${keep === 'never' ? 'deleted (--keep never)' : `kept (--keep ${keep})`}.\n\n`,
    );
  }

  const result = await loop.done;
  if (args.json) {
    json({ type: 'stopped', cycles: result.cycles.length, clusterKept: result.clusterKept });
    return ExitCode.Ok;
  }
  io.stdout(`\nStopped watching after ${plural(result.cycles.length, 'cycle')}. `);
  if (infra.runtime === 'sim') io.stdout('Simulated: nothing was created on this machine.\n');
  else if (result.clusterKept) {
    io.stdout(
      `Cluster ${infra.clusterName} kept.\nKUBECONFIG=${infra.kubeconfigPath}\nRemove it with: kubernaut-e2e down ${service}${args.clusterName ? ` --cluster-name ${args.clusterName}` : ''}\n`,
    );
  } else io.stdout(`Cluster ${infra.clusterName} deleted.\n`);
  return ExitCode.Ok;
}

/** One event as the lines a person reads. */
function describeEvent(event: DevLoopEvent, service: string, simulated: boolean): string {
  switch (event.type) {
    case 'watching':
      return `\n${service} infrastructure is ready. Watching ${plural(event.images.length, 'image')} for edits:\n${event.images.map(describeImage).join('')}${
        simulated ? `Cycle times are ${PREDICTION_LABEL}.\n` : ''
      }`;
    case 'cycle-started':
      return `↻ cycle ${event.cycle}: ${describePaths(event.changedPaths)} changed → rebuilding ${event.images.join(', ')}\n`;
    case 'unchanged':
      return `· ${describePaths(event.changedPaths)} saved; no image's content changed, nothing to rebuild\n`;
    case 'cycle-finished':
      return describeCycle(event.report);
  }
}

function describeImage(image: WatchedImageInfo): string {
  const reads =
    image.sources === undefined
      ? `the whole context ${image.context}`
      : image.sources.length === 0
        ? 'nothing from its context'
        : image.sources.map((s) => (image.context === '.' ? s : `${image.context}/${s}`)).join(', ');
  return `  ${image.id.padEnd(14)} ${image.dockerfile} ← ${reads}\n`;
}

function describeCycle(report: DevCycleReport): string {
  const images = report.images.join(', ');
  const phases = (['build', 'load', 'roll'] as const)
    .filter((p) => report.phasesMs[p] !== undefined)
    .map((p) => `${p} ${formatDuration(report.phasesMs[p]!)}`)
    .join(' · ');
  if (report.outcome === 'ready') {
    return `✔ cycle ${report.cycle}: ${images} ready ${formatDuration(report.editToReadyMs!)} after the edit (${phases}; rolled ${report.rolled.join(', ') || 'nothing'})\n`;
  }
  if (report.outcome === 'cancelled') return `■ cycle ${report.cycle}: ${images} cancelled\n`;
  const error = report.error!;
  const state =
    error.phase === 'roll'
      ? 'the new images are applied but not ready'
      : 'the cluster still runs the images it ran before';
  return `✖ cycle ${report.cycle}: ${images} failed in ${error.phase}${error.code ? ` [${error.code}]` : ''}: ${error.message}\n  Fix it and save again; ${state}.\n`;
}

function describePaths(paths: readonly string[]): string {
  if (paths.length === 0) return 'files';
  return paths.length === 1 ? paths[0]! : `${paths[0]} (+${paths.length - 1} more)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
