import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { remediationOrchestratorService } from './remediationorchestrator.js';
import {
  boundClusterRoles,
  configFile,
  container,
  envOf,
  fileAt,
  podSpec,
  probePort,
  upOnSim,
} from './testing.js';

const facts = loadFacts('remediationorchestrator');

describe('remediationorchestrator (simulated toolchain, fixture project)', () => {
  it('runs the controller on the file its --config names, with the keys the binary reads, after DataStorage', async () => {
    await using run = await upOnSim(remediationOrchestratorService);
    const { infra } = run;
    expect(infra.clusterName).toBe('ro-e2e');
    expect(Object.keys(infra.images).sort()).toEqual([
      'authwebhook',
      'datastorage',
      'postgres',
      'redis',
      'remediationorchestrator',
    ]);

    const deployment = run.object('Deployment', 'remediationorchestrator-controller');
    const { path, config } = configFile(run, deployment, 'controller');
    // The suite's ConfigMap, key and path: its dry-run test edits this key and restarts this Deployment.
    expect(path).toBe('/etc/config/remediationorchestrator.yaml');
    expect(Object.keys(run.object('ConfigMap', 'remediationorchestrator-config').data as object)).toEqual([
      'remediationorchestrator.yaml',
    ]);
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).toMatchObject({
      timeouts: { awaitingApproval: '3s', verifying: '5s' },
      effectivenessAssessment: { stabilizationWindow: '10s' },
      datastorage: {
        url: 'https://data-storage-service.kubernaut-system.svc.cluster.local:8080',
        healthUrl: 'https://data-storage-service.kubernaut-system.svc.cluster.local:8080/readyz',
      },
    });

    // Probed where the binary serves /healthz and /readyz, trusting the run's CA for DataStorage's HTTPS.
    const controller = container(deployment, 'controller');
    expect(checkProbePort(facts, probePort(controller, 'readinessProbe')!, config)).toEqual([]);
    expect(checkProbePort(facts, probePort(controller, 'livenessProbe')!, config)).toEqual([]);
    expect(envOf(controller).TLS_CA_FILE).toBe('/etc/tls-ca/ca.crt');
    expect(fileAt(run, deployment, 'controller', '/etc/tls-ca/ca.crt')).toContain('BEGIN CERTIFICATE');

    // Its audit writes pass DataStorage's access review through data-storage-client.
    expect(podSpec(deployment).serviceAccountName).toBe('remediationorchestrator-controller');
    expect(boundClusterRoles(run, 'remediationorchestrator-controller')).toContain('data-storage-client');

    // Metrics on node port 30183 (host 9183), as the suite's Service and kind config.
    const service = run.object('Service', 'remediationorchestrator-controller');
    expect(JSON.stringify(service.spec)).toContain('"nodePort":30183');
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:9183');

    // The ActionTypes are registered by status, once DataStorage was ready; the controller starts after it.
    const actionTypes = run.objects('ActionType');
    expect(actionTypes).toHaveLength(11);
    expect(actionTypes.every((a) => (a.status as { registered?: boolean }).registered === true)).toBe(true);
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('seed:action-types').start).toBeGreaterThanOrEqual(step('ready:datastorage').end!);
    expect(step('deploy:remediationorchestrator-controller').start).toBeGreaterThanOrEqual(
      step('ready:datastorage').end!,
    );
    expect(step('ready:remediationorchestrator-controller').outcome).toBe('succeeded');
  });
});
