// Dex, the OIDC provider kubernaut's kubernautagent, apifrontend and fullpipeline suites issue test tokens from, as
// they deploy it (`deployDexInNamespace`, `test/infrastructure/dex_e2e.go:119-260`; the apifrontend suite's
// `deploy/apifrontend/overlays/e2e/dex.yaml`; at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import type { CertificateSpec, DeploymentSpec, ImageSpec } from '@kubernaut-e2e/setup';

/** The suites run `ghcr.io/dexidp/dex:latest` (dex_e2e.go:33); a declaration pins its images. */
export const DEX_IMAGE = 'ghcr.io/dexidp/dex:v2.43.0';

export const dexImages: Record<string, ImageSpec> = { dex: { ref: DEX_IMAGE } };

/** Dex serves HTTPS from a leaf of the run's CA, as `GenerateInterServiceTLS` makes `dex-tls` (interservice_tls.go). */
export const dexCertificate: CertificateSpec = { secret: 'dex-tls', serves: 'dex' };

/** The test user's password (`DefaultDexE2EConfig`, dex_e2e.go:56-57) and its bcrypt hash the config lists (:121). */
export const DEX_E2E_USER = {
  email: 'e2e-user@kubernaut.test',
  password: 'e2e-test-password',
  hash: '$2a$10$aFeIluCoQjRFg1RqPxXLZeBV4vLXyL0PauEX0ZaAaq/afg2mOYsg.',
} as const;

/**
 * The kubernautagent suite's `config.yaml` (dex_e2e.go:124-168): issuer `https://dex:5556/dex` (what the agent's
 * `jwtProviders` names), HTTPS from `/etc/dex/tls`, the password grant for the static user, and the static client
 * `kubernaut-agent` the tests take tokens for (`DefaultDexE2EConfig`: secret `e2e-client-secret`).
 */
export const kubernautAgentDexConfig = {
  issuer: 'https://dex:5556/dex',
  storage: { type: 'memory' },
  web: { https: '0.0.0.0:5556', tlsCert: '/etc/dex/tls/tls.crt', tlsKey: '/etc/dex/tls/tls.key' },
  enablePasswordDB: true,
  oauth2: {
    passwordConnector: 'local',
    grantTypes: ['authorization_code', 'password', 'client_credentials', 'refresh_token'],
    responseTypes: ['code', 'token', 'id_token'],
    skipApprovalScreen: true,
  },
  staticPasswords: [
    { email: DEX_E2E_USER.email, hash: DEX_E2E_USER.hash, username: 'e2e-user', userID: 'e2e-user-001' },
  ],
  staticClients: [
    {
      id: 'kubernaut-agent',
      redirectURIs: ['http://localhost/callback'],
      name: 'Kubernaut Agent E2E',
      secret: 'e2e-client-secret',
      grantTypes: ['authorization_code', 'password', 'client_credentials'],
    },
  ],
};

const healthz = (initialDelaySeconds: number, periodSeconds: number) => ({
  path: '/dex/healthz',
  port: 'https',
  initialDelaySeconds,
  periodSeconds,
});

/**
 * Dex serving `https://dex:5556/dex` from the ConfigMap `dex-config` (`config.yaml`, mounted at `/etc/dex`) and
 * `dex-tls`, Service `dex` on node port 30556 (published on the host port `dex`), probed on `/dex/healthz` over
 * HTTPS. `liveness` is the kubernautagent suite's; the apifrontend suite's file has a readiness probe only.
 */
export function dexDeployment(options: {
  readonly liveness: boolean;
  readonly dependsOn?: readonly string[];
}) {
  const deployment: DeploymentSpec = {
    id: 'dex',
    image: 'dex',
    ...(options.dependsOn ? { dependsOn: [...options.dependsOn] } : {}),
    command: ['dex', 'serve', '/etc/dex/config.yaml'],
    ports: [{ name: 'https', port: 5556, tls: true, nodePort: 30556 }],
    publish: { port: 'https', hostPort: 'dex', endpoint: 'dexUrl' },
    volumes: [
      { name: 'config', mountPath: '/etc/dex', source: { configMap: 'dex-config' } },
      { name: 'tls-certs', mountPath: '/etc/dex/tls', source: { secret: 'dex-tls' } },
      ...(options.liveness ? [] : [{ name: 'tmp', mountPath: '/tmp', source: { emptyDir: true as const } }]),
    ],
    probes: {
      readiness: options.liveness ? healthz(3, 5) : healthz(5, 5),
      ...(options.liveness ? { liveness: healthz(5, 10) } : {}),
    },
    resources: {
      requests: { memory: '32Mi', cpu: '25m' },
      limits: { memory: options.liveness ? '64Mi' : '128Mi', cpu: '100m' },
    },
  };
  return deployment;
}
