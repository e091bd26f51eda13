import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { serviceManifests } from './service-manifests.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read back as plain JSON in assertions
type Json = Record<string, any>;
const find = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind) as Json;

const gateway = {
  name: 'gateway',
  namespace: 'gateway-e2e',
  image: 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  env: {
    DATA_STORAGE_URL: 'http://data-storage-service.gateway-e2e.svc.cluster.local:8080',
    LOG_LEVEL: 'debug',
  },
  secretEnv: { API_TOKEN: { secret: 'gateway-token', key: 'token' } },
  probes: {
    readiness: { type: 'http' as const, path: '/ready', port: 'http', periodSeconds: 2 },
    liveness: { type: 'tcp' as const, port: 8080 },
  },
  serviceAccount: {
    name: 'gateway-sa',
    rules: [
      { apiGroups: ['kubernaut.ai'], resources: ['remediationrequests'], verbs: ['create', 'get', 'list'] },
    ],
  },
  nodePorts: { http: 30080 },
};

describe('serviceManifests', () => {
  it('renders a service with its account, namespaced RBAC, NodePort Service and Deployment', () => {
    const objects = serviceManifests(gateway);
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'Service',
      'Deployment',
    ]);
    expect(find(objects, 'RoleBinding').roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'gateway-sa',
    });

    const service = find(objects, 'Service');
    expect(service.spec).toEqual({
      type: 'NodePort',
      selector: { app: 'gateway' },
      ports: [
        { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP', nodePort: 30080 },
        { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
      ],
    });

    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('gateway-sa');
    const c = pod.containers[0];
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.env).toEqual([
      { name: 'DATA_STORAGE_URL', value: 'http://data-storage-service.gateway-e2e.svc.cluster.local:8080' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'gateway-token', key: 'token' } } },
    ]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 'http' }, periodSeconds: 2 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 8080 } });
    expect(find(objects, 'Deployment').metadata.labels).toEqual({
      app: 'gateway',
      'app.kubernetes.io/managed-by': 'kubernaut-e2e',
    });
  });

  it('is ClusterIP without node ports, and has no account objects unless asked', () => {
    const objects = serviceManifests({
      name: 'notification',
      namespace: 'e2e',
      image: gateway.image,
      ports: [{ name: 'http', port: 8080, containerPort: 8081 }],
    });
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Deployment']);
    expect(find(objects, 'Service').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Service').spec.ports[0].targetPort).toBe(8081);
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].ports[0].containerPort).toBe(8081);
  });

  it.each([
    [{ namespace: 'kubernaut_e2e' }, 'namespace'],
    [{ ports: [{ name: 'http', port: 65_536 }] }, 'ports[0].port'],
    [{ ports: [{ name: 'HTTP', port: 8080 }] }, 'ports[0].name'],
    [
      {
        ports: [
          { name: 'http', port: 8080 },
          { name: 'http', port: 8081 },
        ],
      },
      'ports[1].name',
    ],
    [{ image: 'Gateway:Latest' }, 'image'],
    [{ env: { '1BAD': 'x' } }, 'env["1BAD"]'],
    [{ probes: { readiness: { type: 'http', path: 'ready', port: 'http' } } }, 'probes.readiness.path'],
    [{ secretEnv: { LOG_LEVEL: { secret: 's', key: 'k' } } }, 'secretEnv.LOG_LEVEL'],
  ])('refuses %j at %s', (override, path) => {
    let error: unknown;
    try {
      serviceManifests({ ...gateway, ...override } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain(path);
  });
});
