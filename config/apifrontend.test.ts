import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import type { KubeObject } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { apiFrontendService, PERSONA_VALUES, PERSONAS } from './apifrontend.js';
import { configFile, container, FIXTURE_PROJECT, fileAt, podSpec, probePort, upOnSim } from './testing.js';

const facts = loadFacts('apifrontend');
const repositoryFile = (path: string) => readFileSync(join(FIXTURE_PROJECT, path), 'utf8');
const ports = (service: KubeObject) =>
  (service.spec as { ports: { name: string; nodePort?: number }[] }).ports.map((p) => [p.name, p.nodePort]);

describe('apifrontend (simulated toolchain, fixture project)', () => {
  it('runs the frontend on the repository’s E2E config, with the agent, Dex and the persona roles the suite makes', async () => {
    expect(apiFrontendService.cluster).toEqual({
      name: 'apifrontend-e2e',
      kubeconfig: '~/.kube/apifrontend-e2e-config',
    });
    await using run = await upOnSim(apiFrontendService);
    const { infra } = run;
    expect(infra.clusterName).toBe('apifrontend-e2e');
    // e2e_suite_test.go:105-148: the frontend on 18443, its health on 18081, Dex on 5556, Prometheus on 9190.
    expect(infra.endpoints).toMatchObject({
      apifrontendUrl: 'https://localhost:18443',
      apifrontendHealthUrl: 'http://localhost:18081',
      dexUrl: 'https://localhost:5556',
      prometheusUrl: 'http://localhost:9190',
      dataStorageUrl: 'https://localhost:8089',
    });
    expect(ports(run.object('Service', 'apifrontend'))).toEqual([
      ['https', 30443],
      ['metrics', undefined],
      ['health', 30081],
    ]);

    // The frontend reads /etc/apifrontend/config.yaml, the repository's file as it is, with keys its Config has.
    const frontend = run.object('Deployment', 'apifrontend');
    const config = parse(fileAt(run, frontend, 'apifrontend', facts.defaultConfigPath.value!)!) as Record<
      string,
      unknown
    >;
    expect(fileAt(run, frontend, 'apifrontend', '/etc/apifrontend/config.yaml')).toBe(
      repositoryFile('deploy/apifrontend/overlays/e2e/config.yaml'),
    );
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    const c = container(frontend, 'apifrontend');
    expect(checkProbePort(facts, probePort(c, 'readinessProbe')!, config)).toEqual([]);
    // What the file points at is there: its serving certificate, the CA it trusts, the LLM key.
    const { server, agent, auth } = config as {
      server: { tls: { certDir: string } };
      agent: { kaTlsCaFile: string; llm: { apiKeyFile: string } };
      auth: { oidcCaFile: string };
    };
    expect(fileAt(run, frontend, 'apifrontend', `${server.tls.certDir}/tls.crt`)).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(fileAt(run, frontend, 'apifrontend', agent.kaTlsCaFile)).toContain('BEGIN CERTIFICATE');
    expect(fileAt(run, frontend, 'apifrontend', auth.oidcCaFile)).toContain('BEGIN CERTIFICATE');
    expect(fileAt(run, frontend, 'apifrontend', agent.llm.apiKeyFile)).toBe('mock-key');
    expect(podSpec(frontend).serviceAccountName).toBe('apifrontend');
    expect(run.object('ClusterRoleBinding', 'apifrontend-ds-client')).toMatchObject({
      roleRef: { name: 'data-storage-client' },
      subjects: [{ kind: 'ServiceAccount', name: 'apifrontend', namespace: 'kubernaut-system' }],
    });

    // Per persona, the tools of the chart's values, bound to the Dex group of that name.
    const values = parse(repositoryFile(PERSONA_VALUES)).apifrontend.config.rbac.personas;
    for (const persona of PERSONAS) {
      const role = run.object('ClusterRole', `kubernaut-tool-${persona}`);
      expect(role.rules).toEqual([
        { apiGroups: ['kubernaut.ai'], resources: ['tools'], verbs: ['use'], resourceNames: values[persona] },
      ]);
      expect(run.object('ClusterRoleBinding', `kubernaut-tool-${persona}-binding`).subjects).toEqual([
        { kind: 'Group', name: persona, apiGroup: 'rbac.authorization.k8s.io' },
      ]);
    }
    expect(run.object('ClusterRoleBinding', 'e2e-sre-k8s-tools')).toBeDefined();

    // The mock LLM is the repository's manifest, running the image the run built; there is no shadow, and the
    // agent names the mocks as the Go setup does and trusts Dex for the frontend's audience.
    const mockLlm = run.object('Deployment', 'mock-llm');
    expect(podSpec(mockLlm).containers[0]).toMatchObject({ image: infra.images['mock-llm'] });
    expect(run.objects('Deployment').map((d) => d.metadata.name)).not.toContain('mock-llm-shadow');
    const agentDeployment = run.object('Deployment', 'kubernaut-agent');
    const { config: agentConfig } = configFile(run, agentDeployment, 'kubernaut-agent');
    expect(checkConfigAgainstFacts(loadFacts('kubernautagent'), agentConfig)).toEqual([]);
    expect(agentConfig).toMatchObject({
      ai: { alignmentCheck: { llm: { endpoint: 'http://mock-llm-shadow:8080' } } },
      interactive: { jwtProviders: [{ audience: 'kubernaut-apifrontend', issuer: 'https://dex:5556/dex' }] },
    });

    // Dex's config is the repository file's ConfigMap.
    const [dexConfigMap] = parseAllDocuments(repositoryFile('deploy/apifrontend/overlays/e2e/dex.yaml')).map(
      (d) => d.toJSON() as KubeObject,
    );
    expect(run.object('ConfigMap', 'dex-config').data).toEqual(dexConfigMap!.data);

    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:apifrontend').start).toBeGreaterThanOrEqual(step('ready:kubernaut-agent').end!);
    expect(step('deploy:apifrontend').start).toBeGreaterThanOrEqual(step('ready:dex').end!);
    expect(step('ready:apifrontend').outcome).toBe('succeeded');
  });
});
