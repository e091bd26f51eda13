// Keycloak, the OIDC provider and RFC 8693 token exchanger of kubernaut's fleet suites, as they deploy it
// (`deployKeycloakInNamespace`, `test/infrastructure/keycloak_e2e.go:223-350` at kubernaut
// d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import type { CertificateSpec, ConfigMapSpec, DeploymentSpec, ImageSpec } from '@kubernaut-e2e/setup';

/** The suites' pinned image (keycloak_e2e.go:37). */
export const KEYCLOAK_IMAGE = 'quay.io/keycloak/keycloak:26.6.4';
export const keycloakImages: Record<string, ImageSpec> = { keycloak: { ref: KEYCLOAK_IMAGE } };

/** Keycloak serves HTTPS from a leaf of the run's CA, as `GenerateInterServiceTLS` makes `keycloak-tls`. */
export const keycloakCertificate: CertificateSpec = { secret: 'keycloak-tls', serves: 'keycloak' };

/** The realm `kubernaut-fleet`, imported at start from the repository's file (embedded by the Go setup). */
export const KEYCLOAK_REALM_FILE = 'test/infrastructure/keycloak-realm-fleet.json';
export const keycloakRealmConfigMap: ConfigMapSpec = {
  name: 'keycloak-realm-config',
  files: { 'kubernaut-fleet-realm.json': { file: KEYCLOAK_REALM_FILE } },
};

/** The issuer the fleet suites' clients and the API server's OIDC settings name (fleetmetadatacache_e2e.go:178). */
export const KEYCLOAK_ISSUER = 'https://keycloak:8443/realms/kubernaut-fleet';

const realmMaster = (initialDelaySeconds: number, periodSeconds: number, failureThreshold: number) => ({
  path: '/realms/master',
  port: 'https',
  initialDelaySeconds,
  periodSeconds,
  failureThreshold,
});

/**
 * Keycloak in dev mode importing the realm, serving `https://keycloak:8443` from `keycloak-tls`, Service `keycloak`
 * on node port 30557 (published on the host port `keycloak`), probed on `/realms/master` over HTTPS.
 */
export const keycloakDeployment: DeploymentSpec = {
  id: 'keycloak',
  image: 'keycloak',
  args: ['start-dev', '--import-realm'],
  env: {
    KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
    KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin',
    KC_HTTPS_CERTIFICATE_FILE: '/etc/keycloak-tls/tls.crt',
    KC_HTTPS_CERTIFICATE_KEY_FILE: '/etc/keycloak-tls/tls.key',
    KC_HOSTNAME: 'https://keycloak:8443',
    KC_HOSTNAME_STRICT_HTTPS: 'false',
  },
  ports: [{ name: 'https', port: 8443, tls: true, nodePort: 30557 }],
  publish: { port: 'https', hostPort: 'keycloak', endpoint: 'keycloakUrl' },
  volumes: [
    {
      name: 'realm-config',
      mountPath: '/opt/keycloak/data/import',
      source: { configMap: 'keycloak-realm-config' },
    },
    { name: 'tls-certs', mountPath: '/etc/keycloak-tls', source: { secret: 'keycloak-tls' } },
  ],
  probes: { readiness: realmMaster(15, 5, 24), liveness: realmMaster(30, 10, 12) },
  resources: { requests: { memory: '768Mi', cpu: '250m' }, limits: { memory: '1536Mi', cpu: '1000m' } },
};
