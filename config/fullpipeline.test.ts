import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FULL_PIPELINE_IMAGES, fleetService, fullPipelineService } from './fullpipeline.js';
import { container, fileAt, podSpec, upOnSim } from './testing.js';

describe.each([
  [
    'fullpipeline',
    fullPipelineService,
    'fullpipeline-e2e',
    ['alertmanager', 'dex', 'mock-llm-shadow', 'prometheus'],
  ],
  ['fleet', fleetService, 'fleet-e2e', ['alertmanager', 'dex', 'keycloak', 'mock-llm-shadow', 'prometheus']],
] as const)('%s (simulated toolchain, fixture project)', (_, service, cluster, deployments) => {
  it('builds and loads every image for the chart, and deploys only what the suite deploys around it', async () => {
    expect(service.cluster).toEqual({ name: cluster, kubeconfig: `~/.kube/${cluster}-config` });
    await using run = await upOnSim(service);
    const { infra } = run;
    expect(infra.clusterName).toBe(cluster);

    // The 13 images and db-migrate are built under the suite's names and loaded into the nodes, for the chart.
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id);
    for (const id of Object.keys(FULL_PIPELINE_IMAGES)) {
      expect(step(`build:${id}`)?.outcome, id).toBe('succeeded');
      expect(step(`load:${id}`)?.outcome, id).toBe('succeeded');
    }
    expect(infra.images.gateway).toMatch(/^localhost\/gateway:/);
    expect(infra.images.authwebhook).toMatch(/^localhost\/authwebhook:/);
    expect(infra.images['db-migrate']).toMatch(/^localhost\/db-migrate:/);
    expect(infra.images.datastorage).toMatch(/^localhost\/kubernaut\/datastorage:/);

    // No kubernaut service runs: the chart would deploy them. What runs is the suite's own test infrastructure.
    expect(
      run
        .objects('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...deployments]);
    expect(run.objects('CustomResourceDefinition')).toEqual([]);
    // The shadow mock runs the image built for the chart's agent to judge alignment with.
    const shadow = run.object('Deployment', 'mock-llm-shadow');
    expect(podSpec(shadow).containers[0]).toMatchObject({ image: infra.images['mock-llm'] });
    // AlertManager routes to the chart's gateway Service; Prometheus loads the rules the tests' alerts come from.
    const alertmanager = run.object('Deployment', 'alertmanager');
    const routing = parse(fileAt(run, alertmanager, 'alertmanager', '/etc/alertmanager/alertmanager.yml')!);
    expect(routing.receivers[0].webhook_configs[0].url).toBe(
      'http://gateway-service.kubernaut-system.svc.cluster.local:8080/api/v1/signals/prometheus',
    );
    const prometheus = run.object('Deployment', 'prometheus');
    const grounding = parse(
      fileAt(run, prometheus, 'prometheus', '/etc/prometheus/rules/af-severity-grounding.yml')!,
    );
    expect(grounding.groups[0].rules[0].alert).toBe('MemoryEaterResourcePressure');
    // Dex for the frontend the chart deploys, on 30556 as the suite's test code reaches it.
    expect(infra.endpoints.dexUrl).toBe('https://localhost:30556');
    expect(container(run.object('Deployment', 'dex'), 'dex').readinessProbe?.httpGet).toMatchObject({
      scheme: 'HTTPS',
    });
    // The workflows' Jobs run as workflow-job-executor in kubernaut-workflows.
    expect(run.object('ServiceAccount', 'workflow-job-executor', 'kubernaut-workflows')).toBeDefined();
    expect(run.object('ClusterRoleBinding', 'workflow-job-executor').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'workflow-job-executor', namespace: 'kubernaut-workflows' },
    ]);
    if (cluster === 'fleet-e2e') expect(infra.endpoints.keycloakUrl).toBe('https://localhost:30557');
  });
});
