import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { signalProcessingService } from './signalprocessing.js';
import {
  allows,
  boundClusterRoles,
  clusterRulesOf,
  configFile,
  container,
  envOf,
  FIXTURE_PROJECT,
  fileAt,
  probePort,
  upOnSim,
} from './testing.js';

const facts = loadFacts('signalprocessing');
const repositoryFile = (path: string) => readFileSync(join(FIXTURE_PROJECT, path), 'utf8');

describe('signalprocessing (simulated toolchain, fixture project)', () => {
  it('runs the controller with its config, the repository policy and signal mappings where it reads them', async () => {
    await using run = await upOnSim(signalProcessingService);
    const { infra } = run;
    expect(infra.clusterName).toBe('signalprocessing-e2e');

    const deployment = run.object('Deployment', 'signalprocessing-controller');
    const { path, config } = configFile(run, deployment, 'controller');
    expect(path).toBe('/etc/signalprocessing/config.yaml');
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).toMatchObject({
      datastorage: { url: 'https://data-storage-service.kubernaut-system.svc.cluster.local:8080' },
    });

    // The binary exits without /etc/signalprocessing/policies/<classifier.regoConfigMapKey>: it is the repository's
    // policy file, from the ConfigMap the suite names.
    const { regoConfigMapKey, regoConfigMapName } = config.classifier as Record<string, string>;
    expect(regoConfigMapName).toBe('signalprocessing-policy');
    const policy = fileAt(
      run,
      deployment,
      'controller',
      `/etc/signalprocessing/policies/${regoConfigMapKey}`,
    );
    expect(policy).toBe(repositoryFile('charts/kubernaut/examples/signalprocessing-policy.rego'));
    const mappings = fileAt(
      run,
      deployment,
      'controller',
      '/etc/signalprocessing/proactive-signal-mappings.yaml',
    );
    expect(parse(mappings!)).toEqual(
      parse(repositoryFile('config/signalprocessing/proactive-signal-mappings.yaml')),
    );
    expect(run.object('ConfigMap', 'signalprocessing-proactive-signal-mappings').data).toBeDefined();

    const controller = container(deployment, 'controller');
    expect(checkProbePort(facts, probePort(controller, 'readinessProbe')!, config)).toEqual([]);
    expect(checkProbePort(facts, probePort(controller, 'livenessProbe')!, config)).toEqual([]);
    expect(envOf(controller)).toMatchObject({
      KUBERNAUT_CONTROLLER_NAMESPACE: 'kubernaut-system',
      TLS_CA_FILE: '/etc/tls-ca/ca.crt',
    });
    expect(fileAt(run, deployment, 'controller', '/etc/tls-ca/ca.crt')).toContain('BEGIN CERTIFICATE');

    // The suite binds no data-storage-client role: creating services (what DataStorage's access review asks) is in
    // the controller's own ClusterRole.
    expect(boundClusterRoles(run, 'signalprocessing-controller')).toEqual([]);
    expect(allows(clusterRulesOf(run, 'signalprocessing-controller'), '', 'services', 'create')).toBe(true);

    // Metrics on node port 30182 (host 9182), the Service named as the suite names it; PostgreSQL on 30432.
    expect(JSON.stringify(run.object('Service', 'signalprocessing-controller-metrics').spec)).toContain(
      '"nodePort":30182',
    );
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:9182');
    expect(infra.endpoints.postgresUrl).toContain('localhost:30432');
    expect(run.objects('ActionType')).toHaveLength(11);
    expect(infra.trace.steps.find((s) => s.id === 'ready:signalprocessing-controller')?.outcome).toBe(
      'succeeded',
    );
  });
});
