// Every kubernaut binary this repository's config deploys, pinned to facts recorded from kubernaut's Go source
// (tests/contracts/facts/<binary>.json, with the commit and file:line they were read at): the config file the binary
// reads has only keys its config struct has and every key it requires; its probes target the port it serves
// /healthz and /readyz on; every serving certificate the run makes covers its Service's names.
import { X509Certificate } from 'node:crypto';
import { type Binary, checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import type { KubeObject } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import projectConfig from '../kubernaut-e2e.config.js';
import {
  configArgument,
  container,
  envOf,
  fileAt,
  podSpec,
  probePort,
  type SimRun,
  upOnSim,
} from './testing.js';

/** Image id → the kubernaut binary it is built from (`cmd/<binary>`). */
const BINARIES: Readonly<Record<string, Binary>> = {
  gateway: 'gateway',
  datastorage: 'datastorage',
  notification: 'notification',
  authwebhook: 'authwebhook',
  remediationorchestrator: 'remediationorchestrator',
  signalprocessing: 'signalprocessing',
  workflowexecution: 'workflowexecution',
  aianalysis: 'aianalysis',
  effectivenessmonitor: 'effectivenessmonitor',
  kubernautagent: 'kubernautagent',
  apifrontend: 'apifrontend',
  fleetmetadatacache: 'fleetmetadatacache',
};

/**
 * The suites whose kubernaut binaries the Helm chart deploys, which no declaration can install: theirs run none (the
 * declarations build and load the images for the chart).
 */
const CHART_INSTALLED: readonly string[] = ['fullpipeline', 'fleet'];

interface Running {
  readonly deployment: KubeObject;
  readonly container: string;
  readonly binary: Binary;
}

/** The Deployments of a run whose container runs one of the kubernaut binaries, by the image reference it runs. */
function kubernautContainers(run: SimRun): Running[] {
  const binaryOfRef = new Map(
    Object.entries(run.infra.images).flatMap(([id, ref]) => (BINARIES[id] ? [[ref, BINARIES[id]]] : [])),
  );
  return run.objects('Deployment').flatMap((deployment) =>
    podSpec(deployment).containers.flatMap((c) => {
      const binary = binaryOfRef.get((c as { image?: string }).image ?? '');
      return binary ? [{ deployment, container: c.name, binary }] : [];
    }),
  );
}

/** The path the binary reads its config from: `--config`/`-config`, `CONFIG_PATH` (DataStorage), or its default. */
function configPath(run: Running, defaultPath: string | null | undefined): string | undefined {
  const c = container(run.deployment, run.container);
  return configArgument(c) ?? envOf(c).CONFIG_PATH ?? defaultPath ?? undefined;
}

describe.each(projectConfig.services.map((s) => [s.name, s] as const))('%s', (_, service) => {
  it('gives every kubernaut binary a config file with the keys its config struct has, probed on its health port', async () => {
    await using run = await upOnSim(service);
    const running = kubernautContainers(run);
    if (CHART_INSTALLED.includes(service.name)) expect(running).toEqual([]);
    else expect(running.length, 'the service runs at least one kubernaut binary').toBeGreaterThan(0);
    for (const r of running) {
      const facts = loadFacts(r.binary);
      const where = `${r.binary} (deployment ${r.deployment.metadata.name}, container ${r.container})`;
      const path = configPath(r, facts.defaultConfigPath?.value ?? undefined);
      expect(path, `${where} reads a config file`).toBeDefined();
      const text = fileAt(run, r.deployment, r.container, path!);
      expect(text, `${where}: nothing mounted provides ${path}`).toBeDefined();
      const config = parse(text!) as Record<string, unknown>;
      expect(checkConfigAgainstFacts(facts, config), where).toEqual([]);
      const c = container(r.deployment, r.container);
      for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
        const port = probePort(c, probe);
        if (port !== undefined) expect(checkProbePort(facts, port, config), `${where} ${probe}`).toEqual([]);
      }
      expect(c.readinessProbe, `${where} has a readiness probe`).toBeDefined();
    }
  });

  it('makes serving certificates that cover their Service’s names, signed by the CA the suites trust', async () => {
    await using run = await upOnSim(service);
    const caConfigMap = run.objects('ConfigMap').find((o) => o.metadata.name === 'inter-service-ca');
    if (!caConfigMap) return; // a service with no TLS (none of kubernaut's today)
    const ca = new X509Certificate((caConfigMap.data as Record<string, string>)['ca.crt']!);
    const services = run.objects('Service');
    const serving = run
      .objects('Secret')
      .filter((s) => s.type === 'kubernetes.io/tls')
      .map((s) => ({
        s,
        cert: new X509Certificate(Buffer.from((s.data as Record<string, string>)['tls.crt']!, 'base64')),
      }))
      .filter(({ cert }) => cert.checkIssued(ca));
    expect(serving.length).toBeGreaterThan(0);
    for (const { s, cert } of serving) {
      const name = cert.subject.match(/CN=([^\n,]+)/)?.[1];
      const svc = services.find((o) => o.metadata.name === name);
      expect(svc, `Secret ${s.metadata.name}: a Service named ${name}`).toBeDefined();
      const ns = svc!.metadata.namespace;
      for (const host of [
        name,
        `${name}.${ns}`,
        `${name}.${ns}.svc`,
        `${name}.${ns}.svc.cluster.local`,
        'localhost',
      ])
        expect(cert.checkHost(host!), `Secret ${s.metadata.name} covers ${host}`).toBeDefined();
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    }
    // The file the suites read beside the kubeconfig is that CA.
    expect(run.infra.caFile).toBeDefined();
  });
});
