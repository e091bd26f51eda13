import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { effectivenessMonitorService } from './effectivenessmonitor.js';
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

const facts = loadFacts('effectivenessmonitor');
const nodePorts = (spec: unknown) =>
  (spec as { ports: { name: string; nodePort?: number }[] }).ports.map((p) => [p.name, p.nodePort]);

describe('effectivenessmonitor (simulated toolchain, fixture project)', () => {
  it('runs the controller on its config file, against the run’s Prometheus and AlertManager, where the suite looks', async () => {
    expect(effectivenessMonitorService.cluster).toEqual({
      name: 'em-e2e',
      kubeconfig: '~/.kube/em-e2e-config',
    });
    await using run = await upOnSim(effectivenessMonitorService);
    const { infra } = run;
    expect(infra.clusterName).toBe('em-e2e');
    // The suite's test code reaches DataStorage on 8091, Prometheus on 9190 (metric injection) and AlertManager on
    // 9193 (alert injection).
    expect(infra.endpoints).toMatchObject({
      dataStorageUrl: 'https://localhost:8091',
      prometheusUrl: 'http://localhost:9190',
      alertmanagerUrl: 'http://localhost:9193',
    });
    // The pods the tests create run ubi-minimal, loaded with the run's own images.
    expect(infra.images['target-pod']).toBe('registry.access.redhat.com/ubi9/ubi-minimal:9.5');
    expect(infra.trace.steps.find((s) => s.id === 'load:target-pod')?.outcome).toBe('succeeded');

    const deployment = run.object('Deployment', 'effectivenessmonitor-controller');
    const { path, config } = configFile(run, deployment, 'controller');
    expect(path).toBe('/etc/effectivenessmonitor/effectivenessmonitor.yaml');
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).toMatchObject({
      assessment: { stabilizationWindow: '30s', validityWindow: '120s' },
      external: {
        prometheusUrl: 'http://prometheus-svc.kubernaut-system.svc.cluster.local:9090',
        alertManagerUrl: 'http://alertmanager-svc.kubernaut-system.svc.cluster.local:9093',
        prometheusLookback: '2m',
      },
      datastorage: { url: 'https://data-storage-service.kubernaut-system.svc.cluster.local:8080' },
    });
    const controller = container(deployment, 'controller');
    expect(checkProbePort(facts, probePort(controller, 'readinessProbe')!, config)).toEqual([]);
    expect(checkProbePort(facts, probePort(controller, 'livenessProbe')!, config)).toEqual([]);
    expect(fileAt(run, deployment, 'controller', envOf(controller).TLS_CA_FILE!)).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(podSpec(deployment).serviceAccountName).toBe('effectivenessmonitor-controller');
    expect(boundClusterRoles(run, 'effectivenessmonitor-controller')).toContain('data-storage-client');

    // The URLs the controller is given are the Services the stacks make, on the suite's node ports.
    expect(nodePorts(run.object('Service', 'prometheus-svc').spec)).toEqual([['http', 30190]]);
    expect(nodePorts(run.object('Service', 'alertmanager-svc').spec)).toEqual([['http', 30191]]);
    expect(run.object('Deployment', 'authwebhook')).toBeDefined();

    // Prometheus scrapes the kubelets' cAdvisor with its account's token, and accepts the tests' injected metrics.
    const prometheus = run.object('Deployment', 'prometheus');
    expect(container(prometheus, 'prometheus').args).toEqual(
      expect.arrayContaining(['--web.enable-remote-write-receiver', '--web.enable-otlp-receiver']),
    );
    const scrape = parse(fileAt(run, prometheus, 'prometheus', '/etc/prometheus/prometheus.yml')!);
    expect(scrape.scrape_configs[0]).toMatchObject({
      job_name: 'kubelet-cadvisor',
      kubernetes_sd_configs: [{ role: 'node' }],
    });
    expect(scrape.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'alertmanager-svc.kubernaut-system.svc.cluster.local:9093',
    ]);
    const rules = parse(fileAt(run, prometheus, 'prometheus', '/etc/prometheus/rules/memory-eater.yml')!);
    expect(rules.groups[0].rules[0].alert).toBe('MemoryExceedsLimit');
    expect(podSpec(prometheus).serviceAccountName).toBe('prometheus');
    const prometheusRole = run.objects('ClusterRole').find((r) => r.metadata.name === 'prometheus')!;
    expect(prometheusRole.rules).toContainEqual({
      nonResourceURLs: ['/metrics', '/metrics/cadvisor'],
      verbs: ['get'],
    });

    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    for (const dependency of ['ready:datastorage', 'ready:prometheus', 'ready:alertmanager'])
      expect(step('deploy:effectivenessmonitor-controller').start).toBeGreaterThanOrEqual(
        step(dependency).end!,
      );
    expect(step('ready:effectivenessmonitor-controller').outcome).toBe('succeeded');
  });
});
