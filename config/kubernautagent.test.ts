import { X509Certificate } from 'node:crypto';
import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEX_E2E_USER } from './dex.js';
import { KUBERNAUT_AGENT_WORKFLOWS, kubernautAgentService } from './kubernautagent.js';
import { boundClusterRoles, configFile, container, envOf, fileAt, probePort, upOnSim } from './testing.js';

const facts = loadFacts('kubernautagent');
const NS = 'kubernaut-agent-e2e';

describe('kubernautagent (simulated toolchain, fixture project)', () => {
  it('runs the agent in the suite’s namespace, trusting Dex’s tokens, on mock LLMs that know the seeded workflows', async () => {
    expect(kubernautAgentService.cluster).toEqual({
      name: 'kubernaut-agent-e2e',
      kubeconfig: '~/.kube/kubernaut-agent-e2e-config',
    });
    await using run = await upOnSim(kubernautAgentService);
    const { infra } = run;
    expect(infra.clusterName).toBe('kubernaut-agent-e2e');
    expect(infra.namespace).toBe(NS);
    // The suite's test code (suite_test.go:120-134): the agent on 8088/28088/9088, DataStorage on 8089 and its health
    // on 28089, Dex on 5556.
    expect(infra.endpoints).toMatchObject({
      agentUrl: 'https://localhost:8088',
      agentHealthUrl: 'http://localhost:28088',
      agentMetricsUrl: 'http://localhost:9088',
      dataStorageUrl: 'https://localhost:8089',
      dataStorageHealthUrl: 'http://localhost:28089',
      dexUrl: 'https://localhost:5556',
    });
    const dsService = run.object('Service', 'data-storage-service');
    expect((dsService.spec as { ports: { name: string; nodePort?: number }[] }).ports[0]).toMatchObject({
      name: 'https',
      nodePort: 30089,
    });

    // The agent: its config has only keys the binary reads, names this namespace's Prometheus and AlertManager, and
    // trusts Dex's tokens for the audience the tests ask Dex for.
    const agent = run.object('Deployment', 'kubernaut-agent');
    const { config } = configFile(run, agent, 'kubernaut-agent');
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    const c = container(agent, 'kubernaut-agent');
    expect(checkProbePort(facts, probePort(c, 'readinessProbe')!, config)).toEqual([]);
    expect(config).toMatchObject({
      integrations: {
        dataStorage: { url: `https://data-storage-service.${NS}.svc.cluster.local:8080` },
        tools: {
          prometheus: { url: `http://prometheus-svc.${NS}.svc.cluster.local:9090` },
          alertmanager: { url: `http://alertmanager-svc.${NS}.svc.cluster.local:9093` },
        },
      },
      interactive: {
        jwtProviders: [
          {
            name: 'dex-e2e',
            issuer: 'https://dex:5556/dex',
            jwksURL: 'https://dex:5556/dex/keys',
            audience: 'kubernaut-agent',
            tlsCaFile: envOf(c).TLS_CA_FILE,
          },
        ],
      },
    });
    expect(boundClusterRoles(run, 'kubernaut-agent-sa')).toContain('data-storage-client');

    // Dex: the issuer the agent names, over HTTPS from a certificate for `dex` from the run's CA, and the static
    // user and client the tests take tokens with (`DefaultDexE2EConfig`).
    const dex = run.object('Deployment', 'dex');
    const dexConfig = parse(fileAt(run, dex, 'dex', '/etc/dex/config.yaml')!);
    expect(dexConfig.issuer).toBe('https://dex:5556/dex');
    expect(dexConfig.staticPasswords).toEqual([expect.objectContaining({ email: DEX_E2E_USER.email })]);
    expect(dexConfig.staticClients).toEqual([
      expect.objectContaining({ id: 'kubernaut-agent', secret: 'e2e-client-secret' }),
    ]);
    const serving = new X509Certificate(fileAt(run, dex, 'dex', dexConfig.web.tlsCert)!);
    expect(serving.checkHost('dex')).toBe('dex');
    expect(serving.checkHost('localhost')).toBe('localhost');
    expect(container(dex, 'dex').readinessProbe?.httpGet).toMatchObject({
      path: '/dex/healthz',
      scheme: 'HTTPS',
    });

    // The Dex user may call the agent; so may the suite's ServiceAccount, which may also read DataStorage.
    const userBinding = run.object('RoleBinding', 'dex-e2e-user-ka-access');
    expect(userBinding.subjects).toEqual([
      { kind: 'User', name: DEX_E2E_USER.email, apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    expect(boundClusterRoles(run, 'kubernaut-agent-e2e-sa')).toContain('data-storage-client');

    // The ambiguous kind: TestWidget served by two groups, one instance in `default`.
    const groups = run
      .objects('CustomResourceDefinition')
      .filter((crd) => (crd.spec as { names: { kind: string } }).names.kind === 'TestWidget')
      .map((crd) => (crd.spec as { group: string }).group);
    expect(groups.sort()).toEqual(['alpha.kubernaut-test.ai', 'beta.kubernaut-test.ai']);
    expect(run.object('TestWidget', 'test-widget-instance', 'default')).toBeDefined();

    // The nine workflows carry a catalog id the mock LLM answers with, for staging and production.
    const workflows = run.objects('RemediationWorkflow');
    expect(workflows).toHaveLength(KUBERNAUT_AGENT_WORKFLOWS.length);
    const mockLlm = run.object('Deployment', 'mock-llm');
    const { scenarios } = parse(
      fileAt(run, mockLlm, 'mock-llm', envOf(container(mockLlm, 'mock-llm')).MOCK_LLM_CONFIG_PATH!)!,
    ) as { scenarios: Record<string, { workflow_id?: string }> };
    for (const workflow of workflows) {
      const { workflowId } = workflow.status as { workflowId: string };
      for (const env of ['staging', 'production'])
        expect(scenarios[`${workflow.metadata.name}:${env}`]?.workflow_id).toBe(workflowId);
      expect(scenarios).not.toHaveProperty(`${workflow.metadata.name}:test`);
    }

    // Dex is up before the agent starts (it fetches Dex's keys at start), and so are the CRDs its mapper reads.
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:kubernaut-agent').start).toBeGreaterThanOrEqual(step('ready:dex').end!);
    expect(step('deploy:kubernaut-agent').start).toBeGreaterThanOrEqual(
      step('manifests:ambiguous-kind-crds').end!,
    );
    expect(step('ready:kubernaut-agent').outcome).toBe('succeeded');
  });
});
