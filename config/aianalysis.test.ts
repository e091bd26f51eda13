import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AIANALYSIS_WORKFLOWS, aiAnalysisService } from './aianalysis.js';
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

const facts = loadFacts('aianalysis');

describe('aianalysis (simulated toolchain, fixture project)', () => {
  it('runs the controller with its approval policy, and the agent on mock LLMs that know the seeded workflows', async () => {
    await using run = await upOnSim(aiAnalysisService);
    const { infra } = run;
    expect(infra.clusterName).toBe('aianalysis-e2e');
    expect(Object.keys(infra.images).sort()).toEqual([
      'aianalysis',
      'datastorage',
      'kubernautagent',
      'mock-llm',
      'postgres',
      'redis',
    ]);

    // The controller: `-config $(CONFIG_PATH)`, its config, and the policy at rego.policyPath (the binary exits
    // without it), the repository's file.
    const controllerDeployment = run.object('Deployment', 'aianalysis-controller');
    const { path, config } = configFile(run, controllerDeployment, 'aianalysis');
    expect(path).toBe('/etc/aianalysis/config.yaml');
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).not.toHaveProperty('agent');
    const { policyPath } = config.rego as { policyPath: string };
    expect(fileAt(run, controllerDeployment, 'aianalysis', policyPath)).toBe(
      readFileSync(join(FIXTURE_PROJECT, 'pkg/aianalysis/testdata/policies/approval.rego'), 'utf8'),
    );
    const controller = container(controllerDeployment, 'aianalysis');
    expect(controller.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(checkProbePort(facts, probePort(controller, 'readinessProbe')!, config)).toEqual([]);
    expect(envOf(controller).TLS_CA_FILE).toBe('/etc/tls-ca/ca.crt');
    expect(boundClusterRoles(run, 'aianalysis-controller')).toContain('data-storage-client');
    expect(
      allows(clusterRulesOf(run, 'aianalysis-controller'), 'kubernaut.ai', 'agentsessions', 'create'),
    ).toBe(true);
    expect(infra.endpoints.healthUrl).toBe('http://localhost:8184');
    expect(infra.endpoints.metricsUrl).toBe('http://localhost:9184');

    // The six workflows carry a catalog id, and the mock LLM answers each environment's scenario with it.
    const workflows = run.objects('RemediationWorkflow');
    expect(workflows).toHaveLength(AIANALYSIS_WORKFLOWS.length);
    const mockLlm = run.object('Deployment', 'mock-llm');
    const scenariosPath = envOf(container(mockLlm, 'mock-llm')).MOCK_LLM_CONFIG_PATH!;
    const { scenarios } = parse(fileAt(run, mockLlm, 'mock-llm', scenariosPath)!) as {
      scenarios: Record<string, { workflow_id?: string }>;
    };
    for (const workflow of workflows) {
      const { workflowId, catalogStatus } = workflow.status as { workflowId: string; catalogStatus: string };
      expect(catalogStatus).toBe('Active');
      for (const env of ['staging', 'production', 'test'])
        expect(scenarios[`${workflow.metadata.name}:${env}`]?.workflow_id).toBe(workflowId);
    }
    const keys = Object.keys(scenarios).filter((k) => k.includes(':'));
    expect(keys.slice(-AIANALYSIS_WORKFLOWS.length).every((k) => k.endsWith(':production'))).toBe(true);
    expect(scenarios).toHaveProperty('parallel_tools');

    // The agent: its two config files, its mock LLMs, DataStorage, and its own serving certificate.
    const agent = run.object('Deployment', 'kubernaut-agent');
    const agentConfig = parse(fileAt(run, agent, 'kubernaut-agent', '/etc/kubernautagent/config.yaml')!);
    expect(agentConfig.integrations.dataStorage.url).toBe(
      'https://data-storage-service.kubernaut-system.svc.cluster.local:8080',
    );
    expect(agentConfig.ai.alignmentCheck.llm.endpoint).toBe(
      'http://mock-llm-shadow.kubernaut-system.svc.cluster.local:8080',
    );
    const runtime = parse(
      fileAt(run, agent, 'kubernaut-agent', '/etc/kubernautagent/llm-runtime/llm-runtime.yaml')!,
    );
    expect(runtime.endpoint).toBe('http://mock-llm.kubernaut-system.svc.cluster.local:8080');
    expect(fileAt(run, agent, 'kubernaut-agent', agentConfig.ai.llm.apiKeyFile)).toBe('mock-api-key-for-e2e');
    expect(
      fileAt(run, agent, 'kubernaut-agent', `${agentConfig.runtime.server.tls.certDir}/tls.crt`),
    ).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(run.object('Service', 'kubernaut-agent').spec)).toMatch(
      /"nodePort":30088.*"nodePort":30188.*"nodePort":30988/,
    );
    expect(boundClusterRoles(run, 'kubernaut-agent-sa')).toContain('data-storage-client');
    expect(
      run.objects('ClusterRoleBinding').find((b) => b.metadata.name === 'kubernaut-agent-auth-middleware'),
    ).toMatchObject({
      roleRef: { name: 'data-storage-auth-middleware' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubernaut-agent-sa', namespace: 'kubernaut-system' }],
    });
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:kubernaut-agent').start).toBeGreaterThanOrEqual(step('ready:mock-llm').end!);
    expect(step('seed:remediation-workflows').start).toBeGreaterThanOrEqual(step('seed:action-types').end!);
    expect(step('ready:aianalysis-controller').outcome).toBe('succeeded');
  });
});
