// The fleet metadata cache's two suites, as kubernaut runs them (`test/infrastructure/fleetmetadatacache_e2e.go`,
// "fmc" below, and `fleet_e2e.go`, "fl"; the suites are test/e2e/fleetmetadatacache (Kuadrant MCP gateway) and
// test/e2e/fleetmetadatacache/eaigw (Envoy AI Gateway); at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { defineService, type PolicyRule, type RunContext } from '@kubernaut-e2e/setup';
import {
  KEYCLOAK_ISSUER,
  keycloakCertificate,
  keycloakDeployment,
  keycloakImages,
  keycloakRealmConfigMap,
} from './keycloak.js';

const CONFIG_DIR = '/etc/fleetmetadatacache';
const rbac = 'rbac.authorization.k8s.io';

/** The suites' Valkey (fl:53). */
export const VALKEY_IMAGE = 'docker.io/valkey/valkey:8.1';

export type FleetGateway = 'kuadrant' | 'eaigw';

/**
 * Where FMC reaches the MCP gateway. Kuadrant's Istio gateway has a fixed Service (fl:641). Envoy Gateway generates
 * its Service's name, with a hash, when it reconciles the Gateway (fl:962-985): nothing knows it before Envoy
 * Gateway runs, and a declaration cannot install Envoy Gateway (Helm charts from an OCI registry). The EAIGW lane
 * writes an address under `.invalid` (RFC 2606: never resolves), so FMC's log names what is missing.
 */
export const MCP_GATEWAY_ENDPOINTS: Record<FleetGateway, string> = {
  kuadrant: 'http://mcp-gateway-istio.gateway-system.svc:8080/mcp',
  eaigw: 'http://envoy-ai-gateway.not-installed.invalid:8080/mcp',
};

/** The token endpoint and the client FMC authenticates as (fmc:226-236). */
export const FMC_OAUTH2 = {
  tokenUrl: `${KEYCLOAK_ISSUER}/protocol/openid-connect/token`,
  clientId: 'kubernaut-fleet-read',
  clientSecret: 'e2e-fleet-secret',
  scopes: ['kube-mcp-server-audience'],
};

/** `config.yaml` (fl:1747-1776) with the keys of `pkg/fleet/fmc/config/config.go`. */
export function fleetMetadataCacheConfig(run: RunContext, gateway: FleetGateway) {
  return {
    server: { apiAddr: ':8080', healthAddr: ':8081', metricsAddr: ':9090', tls: { certDir: '/etc/tls' } },
    tlsProfile: 'Intermediate',
    mcpGateway: { endpoint: MCP_GATEWAY_ENDPOINTS[gateway], gatewayType: gateway, namespace: run.namespace },
    valkey: { addr: `valkey.${run.namespace}.svc:6379` },
    sync: { interval: '10s', keyTtl: '30s' },
    oauth2: {
      tokenUrl: FMC_OAUTH2.tokenUrl,
      credentialsDir: `${CONFIG_DIR}/fleet-oauth2`,
      tlsCaFile: `${CONFIG_DIR}/tls-ca/ca.crt`,
      scopes: FMC_OAUTH2.scopes,
    },
  };
}

const watch = ['get', 'list', 'watch'];
const reviews: PolicyRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];
/** FMC watches its gateway's registrations, and reviews the tokens its callers present (fl:1629-1660). */
const GATEWAY_RULES: Record<FleetGateway, PolicyRule[]> = {
  kuadrant: [
    { apiGroups: ['mcp.kuadrant.io'], resources: ['mcpserverregistrations'], verbs: watch },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'httproutes'], verbs: watch },
    ...reviews,
  ],
  eaigw: [{ apiGroups: ['gateway.envoyproxy.io'], resources: ['backends'], verbs: watch }, ...reviews],
};

const LANES: Record<
  FleetGateway,
  { name: string; cluster: string; kindConfig: string; description: string }
> = {
  kuadrant: {
    name: 'fleetmetadatacache',
    cluster: 'fmc-e2e', // suite_test.go:107, kubeconfig :157
    kindConfig: 'test/infrastructure/kind-fleetmetadatacache-config.yaml',
    description:
      'the fleet metadata cache with Keycloak and Valkey (Kuadrant lane; its MCP gateway is not declarable)',
  },
  eaigw: {
    name: 'fleetmetadatacache-eaigw',
    cluster: 'fmc-eaigw-e2e', // eaigw/suite_test.go:88, kubeconfig :138
    kindConfig: 'test/infrastructure/kind-fleetmetadatacache-eaigw-config.yaml',
    description:
      'the fleet metadata cache with Keycloak and Valkey (Envoy AI Gateway lane; the gateway is not declarable)',
  },
};

/**
 * One of kubernaut's two FMC suites — the same setup (`setupFMCE2EInfrastructure`, fmc:86-341) for two MCP
 * gateways, each with its own cluster, kubeconfig and kind config (FMC API on 8150, its health on 8151, Keycloak on
 * 30557; the gateway's 31975 or 31976 stays mapped with nothing behind it). Declared: the FMC image, the run's CA
 * with `fleetmetadatacache-tls` and `keycloak-tls`, Keycloak with the `kubernaut-fleet` realm, Valkey, FMC's
 * accounts, config and OAuth2 credentials, the test harness's scope-check client, and the RBAC of the identity the
 * token exchange preserves (fmc:349-373). Not declarable, so not here: the remote cluster, the API server's OIDC
 * patch, the gateway (Gateway API CRDs, Istio and Kuadrant, or Envoy Gateway and the AI Gateway, from the internet),
 * kube-mcp-server and its registrations — FMC's `/readyz` waits for the gateway (cmd/fleetmetadatacache/main.go:447),
 * so on a real cluster `up` stops at `ready:fleetmetadatacache` until the gateway is installed by hand.
 */
export function fleetMetadataCacheLane(gateway: FleetGateway) {
  const lane = LANES[gateway];
  return defineService({
    name: lane.name,
    description: lane.description,
    pattern: 'hybrid', // the image is built before the cluster (fmc:113-123)
    cluster: { name: lane.cluster, kubeconfig: `~/.kube/${lane.cluster}-config` },
    kindConfig: lane.kindConfig,
    hostPorts: { fleetmetadatacache: 8150, fleetmetadatacacheHealth: 8151, keycloak: 30557 },
    images: {
      fleetmetadatacache: {
        dockerfile: 'docker/fleetmetadatacache.Dockerfile',
        imageName: 'fleetmetadatacache',
      },
      valkey: { ref: VALKEY_IMAGE },
      ...keycloakImages,
    },
    certificates: [{ secret: 'fleetmetadatacache-tls', serves: 'fleetmetadatacache' }, keycloakCertificate],
    configMaps: [keycloakRealmConfigMap],
    secrets: [
      {
        name: 'fleetmetadatacache-oauth2',
        files: {
          'client-id': { text: FMC_OAUTH2.clientId },
          'client-secret': { text: FMC_OAUTH2.clientSecret },
        },
      },
    ],
    manifests: [
      {
        // The harness calls FMC's scope-check API as this account (fl:1686-1724, suite_test.go's token request).
        id: 'scope-check-client',
        objects: [
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'fmc-e2e-scope-check-client' } },
          {
            apiVersion: `${rbac}/v1`,
            kind: 'ClusterRole',
            metadata: { name: 'fmc-e2e-scope-check-client' },
            rules: [
              {
                apiGroups: [''],
                resources: ['services'],
                resourceNames: ['fleetmetadatacache-service'],
                verbs: ['get'],
              },
            ],
          },
          {
            apiVersion: `${rbac}/v1`,
            kind: 'ClusterRoleBinding',
            metadata: { name: 'fmc-e2e-scope-check-client' },
            roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'fmc-e2e-scope-check-client' },
            subjects: [{ kind: 'ServiceAccount', name: 'fmc-e2e-scope-check-client' }],
          },
        ],
      },
      {
        id: 'exchanged-identity-rbac',
        objects: [
          {
            apiVersion: `${rbac}/v1`,
            kind: 'ClusterRoleBinding',
            metadata: { name: 'fmc-exchanged-identity-binding' },
            roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'view' },
            subjects: [
              { kind: 'User', name: 'keycloak:service-account-kubernaut-fleet-read', apiGroup: rbac },
            ],
          },
        ],
      },
    ],
    deployments: [
      keycloakDeployment,
      {
        id: 'valkey',
        image: 'valkey',
        ports: [{ name: 'valkey', port: 6379 }],
        probes: { readiness: { port: 'valkey', initialDelaySeconds: 3, periodSeconds: 5 } },
        resources: { requests: { memory: '30Mi', cpu: '25m' }, limits: { memory: '64Mi', cpu: '100m' } },
      },
      {
        id: 'fleetmetadatacache',
        image: 'fleetmetadatacache',
        serviceName: 'fleetmetadatacache-service',
        dependsOn: ['valkey', 'keycloak'],
        // The suite adds a second Service, `fleetmetadatacache-e2e-nodeport`, for the node ports (fmc:305-330);
        // here the one Service carries them.
        ports: [
          { name: 'api', port: 8080, tls: true, nodePort: 30150 },
          { name: 'health', port: 8081, nodePort: 30151 },
          { name: 'metrics', port: 9090 },
        ],
        publish: [
          { port: 'api', hostPort: 'fleetmetadatacache', endpoint: 'fleetmetadatacacheUrl' },
          { port: 'health', hostPort: 'fleetmetadatacacheHealth', endpoint: 'fleetmetadatacacheHealthUrl' },
        ],
        configFiles: [
          {
            name: 'fleetmetadatacache-config',
            mountPath: CONFIG_DIR,
            files: { 'config.yaml': { yaml: (run) => fleetMetadataCacheConfig(run, gateway) } },
          },
        ],
        volumes: [
          {
            name: 'oauth2-creds',
            mountPath: `${CONFIG_DIR}/fleet-oauth2`,
            source: { secret: 'fleetmetadatacache-oauth2' },
          },
          { name: 'tls-ca', mountPath: `${CONFIG_DIR}/tls-ca`, source: { configMap: 'inter-service-ca' } },
          {
            name: 'tls-certs',
            mountPath: '/etc/tls',
            source: { secret: 'fleetmetadatacache-tls', optional: true },
          },
        ],
        probes: {
          readiness: { path: '/readyz', port: 'health', initialDelaySeconds: 3, periodSeconds: 5 },
          liveness: { path: '/healthz', port: 'health', initialDelaySeconds: 5, periodSeconds: 10 },
        },
        resources: { requests: { memory: '64Mi', cpu: '50m' }, limits: { memory: '128Mi', cpu: '200m' } },
        clusterRules: GATEWAY_RULES[gateway],
      },
    ],
  });
}

/** The Kuadrant lane (`make test-e2e-fleetmetadatacache-kuadrant`, Makefile:915). */
export const fleetMetadataCacheService = fleetMetadataCacheLane('kuadrant');
/** The Envoy AI Gateway lane (`make test-e2e-fleetmetadatacache-eaigw`, Makefile:935). */
export const fleetMetadataCacheEaigwService = fleetMetadataCacheLane('eaigw');
