/**
 * A gateway-like declaration, shaped like the seed's gateway E2E setup: PostgreSQL and Redis from
 * pinned external images (preloaded when the engine has them), goose migrations through a port-forward, DataStorage (with RBAC) and the
 * gateway built from Dockerfiles, a CRD and a namespace. Used by the planner, scheduler and bench tests.
 */
import type { KubeObject } from '@kubernaut-e2e/core';
import type { DeployComponent, ServiceDeclaration } from '../declaration.js';

export const NAMESPACE = 'kubernaut-system';
export const POSTGRES_IMAGE = 'docker.io/library/postgres:16.4-alpine';
export const REDIS_IMAGE = 'docker.io/library/redis:7.4-alpine';
export const GATEWAY_HOST_PORT = 8080;
const GATEWAY_NODE_PORT = 30080;

function deployment(
  name: string,
  image: string,
  port: number,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...extra,
          containers: [{ name, image, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: port }] }],
        },
      },
    },
  };
}

function service(name: string, port: number, nodePort?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      type: nodePort === undefined ? 'ClusterIP' : 'NodePort',
      selector: { app: name },
      ports: [{ port, targetPort: port, ...(nodePort === undefined ? {} : { nodePort }) }],
    },
  };
}

const remediationRequestCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'remediationrequests.kubernaut.ai' },
  spec: {
    group: 'kubernaut.ai',
    names: { kind: 'RemediationRequest', plural: 'remediationrequests', singular: 'remediationrequest' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

export const postgresql: DeployComponent = {
  id: 'postgresql',
  kind: 'deploy',
  images: ['postgres'],
  dependsOn: [],
  manifests: (refs) => [deployment('postgresql', refs.postgres!, 5432), service('postgresql', 5432)],
  rollout: ['deployment/postgresql'],
};

export const redis: DeployComponent = {
  id: 'redis',
  kind: 'deploy',
  images: ['redis'],
  dependsOn: [],
  manifests: (refs) => [deployment('redis', refs.redis!, 6379), service('redis', 6379)],
  rollout: ['deployment/redis'],
};

export const datastorage: DeployComponent = {
  id: 'datastorage',
  kind: 'deploy',
  images: ['datastorage'],
  dependsOn: ['migrations', 'redis'],
  manifests: (refs) => [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'datastorage', namespace: NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'datastorage', namespace: NAMESPACE },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'datastorage', namespace: NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'datastorage' },
      subjects: [{ kind: 'ServiceAccount', name: 'datastorage', namespace: NAMESPACE }],
    },
    deployment('datastorage', refs.datastorage!, 8080, { serviceAccountName: 'datastorage' }),
    service('datastorage', 8080),
  ],
  rollout: ['deployment/datastorage'],
};

export const gateway: DeployComponent = {
  id: 'gateway',
  kind: 'deploy',
  images: ['gateway'],
  dependsOn: ['redis', 'datastorage'],
  manifests: (refs) => [
    deployment('gateway', refs.gateway!, 8080),
    service('gateway', 8080, GATEWAY_NODE_PORT),
  ],
  rollout: ['deployment/gateway'],
  readiness: {
    probe: { kind: 'http', url: `http://localhost:${GATEWAY_HOST_PORT}/healthz` },
    options: { timeoutMs: 60_000, intervalMs: 1_000 },
  },
};

/** A fresh copy of the gateway declaration; `overrides` replace top-level fields. */
export function gatewayDeclaration(overrides: Partial<ServiceDeclaration> = {}): ServiceDeclaration {
  return {
    service: 'gateway',
    images: [
      {
        id: 'datastorage',
        build: {
          serviceName: 'datastorage',
          imageName: 'kubernaut/datastorage',
          dockerfilePath: 'docker/data-storage.Dockerfile',
          consumer: 'gateway-e2e',
        },
      },
      {
        id: 'gateway',
        build: {
          serviceName: 'gateway',
          imageName: 'kubernaut/gateway',
          dockerfilePath: 'docker/gateway-ubi9.Dockerfile',
          consumer: 'gateway-e2e',
        },
      },
      { id: 'postgres', ref: POSTGRES_IMAGE },
      { id: 'redis', ref: REDIS_IMAGE },
    ],
    cluster: {
      name: 'gateway-e2e',
      kubeconfigPath: '/tmp/kubernaut-e2e/gateway-e2e.kubeconfig',
      config: {
        kind: 'Cluster',
        apiVersion: 'kind.x-k8s.io/v1alpha4',
        nodes: [
          {
            role: 'control-plane',
            extraPortMappings: [
              { containerPort: GATEWAY_NODE_PORT, hostPort: GATEWAY_HOST_PORT, protocol: 'TCP' },
            ],
          },
        ],
      },
    },
    crds: [remediationRequestCrd],
    namespace: { name: NAMESPACE, labels: { 'kubernaut.ai/e2e': 'gateway' } },
    components: [
      postgresql,
      redis,
      {
        id: 'migrations',
        kind: 'migrate',
        dependsOn: ['postgresql'],
        directory: 'migrations',
        database: { database: 'action_history', user: 'slm_user', password: 'test_password' },
        via: { namespace: NAMESPACE, target: 'deployment/postgresql', remotePort: 5432 },
      },
      datastorage,
      gateway,
    ],
    ...overrides,
  };
}
