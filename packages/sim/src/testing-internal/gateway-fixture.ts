import type { ImageBuildConfig, KubeObject } from '@kubernaut-e2e/core';

/** A gateway-like setup (as in the seed) in plain objects, for the simulator's own tests. */
export const NS = 'kubernaut-system';
export const CLUSTER = 'gateway-e2e';
export const KUBECONFIG = '/tmp/kubernaut-e2e/gateway-e2e.kubeconfig';
export const GATEWAY_HOST_PORT = 8080;
export const GATEWAY_NODE_PORT = 30080;
export const PG_IMAGE = 'docker.io/library/postgres:16.4-alpine';
export const REDIS_IMAGE = 'docker.io/library/redis:7.4-alpine';

export const kindConfig = {
  kind: 'Cluster',
  apiVersion: 'kind.x-k8s.io/v1alpha4',
  nodes: [
    {
      role: 'control-plane',
      extraPortMappings: [
        { containerPort: GATEWAY_NODE_PORT, hostPort: GATEWAY_HOST_PORT },
        { containerPort: 30081, hostPort: 8081 },
      ],
    },
  ],
};

export const gatewayBuild: ImageBuildConfig = {
  serviceName: 'gateway',
  imageName: 'kubernaut/gateway',
  dockerfilePath: 'docker/gateway.Dockerfile',
  consumer: 'gateway-e2e',
};

export const datastorageBuild: ImageBuildConfig = {
  serviceName: 'datastorage',
  imageName: 'kubernaut/datastorage',
  dockerfilePath: 'docker/data-storage.Dockerfile',
  consumer: 'gateway-e2e',
};

export const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };

export const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'remediationrequests.kubernaut.ai' },
  spec: {
    group: 'kubernaut.ai',
    names: { kind: 'RemediationRequest', plural: 'remediationrequests' },
    scope: 'Namespaced',
  },
};

export function deployment(
  name: string,
  image: string,
  options: {
    port?: number;
    env?: { name: string; value?: string; valueFrom?: unknown }[];
    pullPolicy?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image,
              imagePullPolicy: options.pullPolicy ?? 'IfNotPresent',
              ...(options.port ? { ports: [{ containerPort: options.port }] } : {}),
              ...(options.env ? { env: options.env } : {}),
            },
          ],
        },
      },
    },
  };
}

export function service(name: string, port: number, nodePort?: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: {
      type: nodePort ? 'NodePort' : 'ClusterIP',
      selector: { app: name },
      ports: [{ port, targetPort: port, ...(nodePort ? { nodePort } : {}) }],
    },
  };
}

export const PG = { database: 'action_history', user: 'slm_user', password: 'test_password' };

export function postgresql(): KubeObject[] {
  const secretKey = (key: string) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: 'postgresql-secret', key } },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'postgresql-secret', namespace: NS },
      type: 'Opaque',
      stringData: { POSTGRES_USER: PG.user, POSTGRES_PASSWORD: PG.password, POSTGRES_DB: PG.database },
    },
    service('postgresql', 5432),
    deployment('postgresql', PG_IMAGE, {
      port: 5432,
      env: [secretKey('POSTGRES_USER'), secretKey('POSTGRES_PASSWORD'), secretKey('POSTGRES_DB')],
    }),
  ];
}

export function redis(): KubeObject[] {
  return [service('redis', 6379), deployment('redis', REDIS_IMAGE, { port: 6379 })];
}

export function datastorage(ref: string): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'datastorage', namespace: NS } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'datastorage' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    },
    service('datastorage', 8080, 30081),
    deployment('datastorage', ref, { port: 8080 }),
  ];
}

export function gateway(ref: string): KubeObject[] {
  return [service('gateway', 8080, GATEWAY_NODE_PORT), deployment('gateway', ref, { port: 8080 })];
}
