import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createCommandRunner, RunLedger, SERVICE_LABEL } from '@kubernaut-e2e/core';
import {
  clusterFiles,
  collectRunCoverage,
  createToolchain,
  defaultOutputDir,
  type LoadedConfig,
  type RuntimeName,
  removeOrphansOf,
  resolveRuntime,
  resolveSetup,
  type Service,
} from '@kubernaut-e2e/setup';
import type { CliArgs } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { printResult } from '../result/print-result.js';
import { RESULT_SCHEMA_VERSION } from '../result/run-result.js';
import { serviceCommand } from '../setup-options.js';

/**
 * `down <service>`: deletes the service's kind cluster, its kubeconfig, and the images this tool built for the
 * service (found by their `io.kubernaut-e2e.service` label — never an image it did not build).
 */
export async function downCommand(
  args: CliArgs,
  config: LoadedConfig,
  definition: Service,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { service, options } = serviceCommand(args, config, definition, io);
  // Where the setup wrote them: the kubeconfig and, beside it, the run's CA.
  const { clusterName, kubeconfigPath, caFile } = clusterFiles(
    definition,
    {
      ...(options.clusterName ? { clusterName: options.clusterName } : {}),
      ...(options.kubeconfigPath ? { kubeconfigPath: resolve(io.cwd, options.kubeconfigPath) } : {}),
    },
    io.env,
  );
  // kubernaut keys the CA file by the kubeconfig's directory only (`InterServiceCAPath`), so services whose
  // kubeconfigs share a directory share it: it stays while another of them still has its kubeconfig there.
  const caShared = config.services.some((other) => {
    if (other.name === service) return false;
    const files = clusterFiles(other, {}, io.env);
    return files.caFile === caFile && existsSync(files.kubeconfigPath);
  });
  const removableCa = caShared ? [] : [caFile];
  const runtime = options.runtime ?? 'auto';
  const report = (
    removed: { kind: 'cluster' | 'kubeconfig' | 'ca-file' | 'image'; name: string }[],
    text: string,
  ) => {
    if (args.output !== undefined)
      printResult(io, args.output, {
        schemaVersion: RESULT_SCHEMA_VERSION,
        command: 'down',
        ok: true,
        service,
        cluster: { name: clusterName, kubeconfig: kubeconfigPath },
        removed,
      });
    else io.stdout(text);
    return ExitCode.Ok;
  };
  if (runtime === 'sim') {
    const files = (
      [...removableCa.map((f) => ['ca-file', f] as const), ['kubeconfig', kubeconfigPath] as const] as const
    ).filter(([, f]) => existsSync(f));
    for (const [, file] of files) await rm(file, { force: true });
    return report(
      files.map(([kind, name]) => ({ kind, name })),
      files.length > 0
        ? `Removed (sim):\n${files.map(([, f]) => `  ${f}`).join('\n')}\n`
        : 'The simulated toolchain keeps no cluster between runs, and no file of this service is left: nothing to remove.\n',
    );
  }
  const existing = options.cluster?.existing;
  if (existing) return downOnExistingCluster(service, existing.context, runtime, io, signal);
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
    const orphanLines = await removeOrphansOf(service, runtime, io.env);
    for (const line of orphanLines) io.stdout(`${line}\n`);
    const removed: string[] = [];
    const removedItems: { kind: 'cluster' | 'kubeconfig' | 'ca-file' | 'image'; name: string }[] = [];
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
          dir: join(options.outputDir ?? defaultOutputDir(service, io.cwd, io.env), 'coverage', ledger.runId),
        });
        io.stdout(`${lines.join('\n')}\n`);
      }
      // The cluster's own kubeconfig, so kind edits that file and not the user's `~/.kube/config` — when it is
      // there: kind would create the file's directory just to lock it.
      await toolchain.cluster.delete(
        clusterName,
        { signal },
        existsSync(kubeconfigPath) ? { kubeconfigPath } : {},
      );
      removed.push(`cluster ${clusterName}`);
      removedItems.push({ kind: 'cluster', name: clusterName });
    }
    if (existsSync(kubeconfigPath)) {
      await rm(kubeconfigPath, { force: true });
      removedItems.push({ kind: 'kubeconfig', name: kubeconfigPath });
    }
    if (removableCa.length > 0 && existsSync(caFile)) {
      await rm(caFile, { force: true });
      removed.push(`file ${caFile}`);
      removedItems.push({ kind: 'ca-file', name: caFile });
    }
    for (const image of (await engine?.findByLabel(SERVICE_LABEL, service, { signal })) ?? []) {
      for (const ref of image.refs) {
        await engine?.removeImage(ref, { signal });
        removed.push(`image ${ref}`);
        removedItems.push({ kind: 'image', name: ref });
      }
    }
    return report(
      removedItems,
      removed.length > 0
        ? `Removed (${resolved}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`
        : orphanLines.length > 0
          ? `Nothing else to remove for ${service}: no cluster ${clusterName}, no images built for it.\n`
          : `Nothing to remove for ${service}: no cluster ${clusterName}, no images built for it.\n`,
    );
  } finally {
    await ledger.cleanup();
  }
}

/**
 * `down` on an existing cluster: the cluster is never deleted (kubernaut-e2e did not create it, and other suites
 * use it). Each run deleted its own namespace at teardown; a killed run's is found by its labels. Only the images
 * this tool built for the service are removed, as on kind.
 */
async function downOnExistingCluster(
  service: string,
  context: string,
  runtime: Exclude<RuntimeName, 'sim'>,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const runner = createCommandRunner();
  const engineName = await resolveRuntime(runtime, runner, false);
  const engine = (await import('@kubernaut-e2e/image-builder')).createEngine(engineName, runner);
  const removed: string[] = [];
  for (const image of await engine.findByLabel(SERVICE_LABEL, service, { signal })) {
    for (const ref of image.refs) {
      await engine.removeImage(ref, { signal });
      removed.push(`image ${ref}`);
    }
  }
  io.stdout(
    `The existing cluster (context ${context}) is never deleted by kubernaut-e2e; each run deletes its own namespace at teardown. Namespaces runs of ${service} left (a killed run):\n  kubectl --context ${context} get namespaces -l ${SERVICE_LABEL}=${service}\n${
      removed.length > 0
        ? `Removed (${engineName}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`
        : `No images built for ${service}.\n`
    }`,
  );
  return ExitCode.Ok;
}
