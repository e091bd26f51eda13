import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigAgainstFacts, checkProbePort, loadFacts } from '@kubernaut-e2e/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  FMC_OAUTH2,
  fleetMetadataCacheEaigwService,
  fleetMetadataCacheService,
  MCP_GATEWAY_ENDPOINTS,
} from './fleetmetadatacache.js';
import { KEYCLOAK_REALM_FILE } from './keycloak.js';
import {
  allows,
  clusterRulesOf,
  container,
  FIXTURE_PROJECT,
  fileAt,
  podSpec,
  probePort,
  upOnSim,
} from './testing.js';

const facts = loadFacts('fleetmetadatacache');

describe.each([
  ['fleetmetadatacache', fleetMetadataCacheService, 'fmc-e2e', 'kuadrant'],
  ['fleetmetadatacache-eaigw', fleetMetadataCacheEaigwService, 'fmc-eaigw-e2e', 'eaigw'],
] as const)('%s (simulated toolchain, fixture project)', (_, service, cluster, gateway) => {
  it('runs FMC on its lane’s config, with Keycloak, Valkey and the accounts the suite calls it as', async () => {
    expect(service.cluster).toEqual({ name: cluster, kubeconfig: `~/.kube/${cluster}-config` });
    await using run = await upOnSim(service);
    const { infra } = run;
    expect(infra.clusterName).toBe(cluster);
    // The suite's test code: FMC's API on https://localhost:8150, its health on 8151, Keycloak's token endpoint on
    // 30557 — all trusting the CA beside the kubeconfig.
    expect(infra.endpoints).toEqual({
      fleetmetadatacacheUrl: 'https://localhost:8150',
      fleetmetadatacacheHealthUrl: 'http://localhost:8151',
      keycloakUrl: 'https://localhost:30557',
    });
    expect(infra.caFile).toBeDefined();
    expect(infra.images.fleetmetadatacache).toMatch(/^localhost\/fleetmetadatacache:/);

    const fmc = run.object('Deployment', 'fleetmetadatacache');
    // No --config (fl:1796-1800): the binary reads its default path.
    expect(container(fmc, 'fleetmetadatacache').args).toBeUndefined();
    expect(facts.defaultConfigPath.value).toBe('/etc/fleetmetadatacache/config.yaml');
    const config = parse(fileAt(run, fmc, 'fleetmetadatacache', facts.defaultConfigPath.value!)!) as Record<
      string,
      unknown
    >;
    expect(checkConfigAgainstFacts(facts, config)).toEqual([]);
    expect(config).toMatchObject({
      mcpGateway: {
        gatewayType: gateway,
        endpoint: MCP_GATEWAY_ENDPOINTS[gateway],
        namespace: 'kubernaut-system',
      },
      valkey: { addr: 'valkey.kubernaut-system.svc:6379' },
      oauth2: { tokenUrl: 'https://keycloak:8443/realms/kubernaut-fleet/protocol/openid-connect/token' },
    });
    const c = container(fmc, 'fleetmetadatacache');
    expect(checkProbePort(facts, probePort(c, 'readinessProbe')!, config)).toEqual([]);
    // What the config points at is mounted: the client credentials, the CA, the serving certificate.
    const { oauth2, server } = config as {
      oauth2: { credentialsDir: string; tlsCaFile: string };
      server: { tls: { certDir: string } };
    };
    expect(fileAt(run, fmc, 'fleetmetadatacache', `${oauth2.credentialsDir}/client-id`)).toBe(
      FMC_OAUTH2.clientId,
    );
    expect(fileAt(run, fmc, 'fleetmetadatacache', `${oauth2.credentialsDir}/client-secret`)).toBe(
      FMC_OAUTH2.clientSecret,
    );
    expect(fileAt(run, fmc, 'fleetmetadatacache', oauth2.tlsCaFile)).toContain('BEGIN CERTIFICATE');
    expect(fileAt(run, fmc, 'fleetmetadatacache', `${server.tls.certDir}/tls.crt`)).toContain(
      'BEGIN CERTIFICATE',
    );

    // GW and RO call it at fleetmetadatacache-service; the tests at node ports 30150 (HTTPS) and 30151.
    const fmcService = run.object('Service', 'fleetmetadatacache-service');
    expect((fmcService.spec as { ports: { name: string; nodePort?: number }[] }).ports).toMatchObject([
      { name: 'api', nodePort: 30150 },
      { name: 'health', nodePort: 30151 },
      { name: 'metrics' },
    ]);
    // FMC watches its lane's gateway registrations, and reviews its callers' tokens.
    const rules = clusterRulesOf(run, 'fleetmetadatacache');
    expect(allows(rules, 'mcp.kuadrant.io', 'mcpserverregistrations', 'watch')).toBe(gateway === 'kuadrant');
    expect(allows(rules, 'gateway.envoyproxy.io', 'backends', 'watch')).toBe(gateway === 'eaigw');
    expect(allows(rules, 'authentication.k8s.io', 'tokenreviews', 'create')).toBe(true);
    // The harness's own account may `get` the Service FMC's scope check authorizes against.
    expect(allows(clusterRulesOf(run, 'fmc-e2e-scope-check-client'), '', 'services', 'get')).toBe(true);
    expect(run.object('ClusterRoleBinding', 'fmc-exchanged-identity-binding').subjects).toEqual([
      {
        kind: 'User',
        name: 'keycloak:service-account-kubernaut-fleet-read',
        apiGroup: 'rbac.authorization.k8s.io',
      },
    ]);

    // Keycloak imports the repository's realm and serves HTTPS, probed over HTTPS.
    const keycloak = run.object('Deployment', 'keycloak');
    expect(fileAt(run, keycloak, 'keycloak', '/opt/keycloak/data/import/kubernaut-fleet-realm.json')).toBe(
      readFileSync(join(FIXTURE_PROJECT, KEYCLOAK_REALM_FILE), 'utf8'),
    );
    expect(container(keycloak, 'keycloak').readinessProbe?.httpGet).toMatchObject({
      path: '/realms/master',
      scheme: 'HTTPS',
    });
    expect(fileAt(run, keycloak, 'keycloak', '/etc/keycloak-tls/tls.crt')).toContain('BEGIN CERTIFICATE');
    expect(podSpec(run.object('Deployment', 'valkey')).containers[0]).toMatchObject({
      image: 'docker.io/valkey/valkey:8.1',
    });

    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('deploy:fleetmetadatacache').start).toBeGreaterThanOrEqual(step('ready:keycloak').end!);
    expect(step('deploy:fleetmetadatacache').start).toBeGreaterThanOrEqual(step('ready:valkey').end!);
  });
});
