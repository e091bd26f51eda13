import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { boundClusterRoles, configFile, container, envOf, fileAt, probePort, upOnSim } from './testing.js';
import { EXECUTION_NAMESPACE, workflowExecutionService } from './workflowexecution.js';

const facts = loadFacts('workflowexecution');

describe('workflowexecution (simulated toolchain, fixture project)', () => {
  it('runs the controller on its config with a managed execution namespace it may read, then registers workflows', async () => {
    await using run = await upOnSim(workflowExecutionService);
    const { infra } = run;
    expect(infra.clusterName).toBe('workflowexecution-e2e');

    const deployment = run.object('Deployment', 'workflowexecution-controller');
    const { path, config } = configFile(run, deployment, 'controller');
    expect(path).toBe('/etc/config/workflowexecution.yaml');
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).toMatchObject({
      execution: { namespace: EXECUTION_NAMESPACE, cooldownPeriod: '1m' },
      datastorage: { url: 'https://data-storage-service.kubernaut-system.svc.cluster.local:8080' },
    });
    expect(config).not.toHaveProperty('ansible'); // no AWX in this setup

    const controller = container(deployment, 'controller');
    expect(checkProbePort(facts, probePort(controller, 'readinessProbe')!, config)).toEqual([]);
    expect(checkProbePort(facts, probePort(controller, 'livenessProbe')!, config)).toEqual([]);
    expect(envOf(controller).TLS_CA_FILE).toBe('/etc/tls-ca/ca.crt');
    expect(fileAt(run, deployment, 'controller', '/etc/tls-ca/ca.crt')).toContain('BEGIN CERTIFICATE');
    expect(boundClusterRoles(run, 'workflowexecution-controller')).toContain('data-storage-client');

    // The execution namespace: managed, readable by the controller (its Secret/ConfigMap caches) and by
    // DataStorage's dependency checks, with the Job executor's account and the fixtures the workflows name.
    const namespace = run.object('Namespace', EXECUTION_NAMESPACE);
    expect(namespace.metadata.labels).toEqual({ 'kubernaut.ai/managed': 'true' });
    const subjectsOf = (kind: string, name: string, ns?: string) => run.object(kind, name, ns).subjects;
    expect(subjectsOf('RoleBinding', 'workflowexecution-dependency-reader', EXECUTION_NAMESPACE)).toEqual([
      { kind: 'ServiceAccount', name: 'workflowexecution-controller', namespace: 'kubernaut-system' },
    ]);
    expect(subjectsOf('RoleBinding', 'data-storage-dep-validator', EXECUTION_NAMESPACE)).toEqual([
      { kind: 'ServiceAccount', name: 'data-storage-sa', namespace: 'kubernaut-system' },
    ]);
    const executor = run
      .objects('ClusterRoleBinding')
      .find((b) => b.metadata.name === 'workflow-job-executor')!;
    expect(executor.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'workflow-job-executor', namespace: EXECUTION_NAMESPACE },
    ]);
    expect(run.object('Secret', 'e2e-dep-secret', EXECUTION_NAMESPACE).stringData).toEqual({
      token: 'e2e-test-value',
    });
    expect(run.object('ConfigMap', 'e2e-dep-configmap', EXECUTION_NAMESPACE).data).toEqual({
      setting: 'e2e-configmap-value',
    });

    // ActionTypes and the Job workflows go through the auth webhook, which registers them: no status of ours.
    const actionTypes = run.objects('ActionType');
    expect(actionTypes).toHaveLength(11);
    expect(actionTypes.every((a) => a.status === undefined)).toBe(true);
    const workflows = run.objects('RemediationWorkflow');
    expect(workflows.map((w) => w.metadata.name).sort()).toEqual([
      'test-dep-configmap-job',
      'test-dep-secret-job',
      'test-job-hello-world',
      'test-job-intentional-failure',
      'test-job-oomkill',
    ]);
    expect(
      workflows.every((w) => (w.spec as { execution: { engine: string } }).execution.engine === 'job'),
    ).toBe(true);
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('seed:action-types').start).toBeGreaterThanOrEqual(
      step('manifests:authwebhook-webhooks').end!,
    );
    expect(step('manifests:workflows').start).toBeGreaterThanOrEqual(step('seed:action-types').end!);
    expect(step('deploy:workflowexecution-controller').start).toBeGreaterThanOrEqual(
      step('seed:execution-namespace-objects').end!,
    );
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:9185');
    expect(step('ready:workflowexecution-controller').outcome).toBe('succeeded');
  });
});
