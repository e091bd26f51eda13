import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { datastorageManifests } from './datastorage.js';
import { POSTGRESQL_IMAGE, postgresqlManifests } from './postgresql.js';
import { REDIS_IMAGE, redisManifests } from './redis.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read back as plain JSON in assertions
type Json = Record<string, any>;

const byKind = (objects: readonly KubeObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as Json[];
const one = (objects: readonly KubeObject[], kind: string): Json => {
  const found = byKind(objects, kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0]!;
};
const container = (objects: readonly KubeObject[]): Json =>
  one(objects, 'Deployment').spec.template.spec.containers[0];

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('postgresqlManifests', () => {
  it('runs the pinned image with credentials from a Secret, a NodePort Service and pg_isready probes', () => {
    const objects = postgresqlManifests({
      namespace: 'gateway-e2e',
      database: 'audit',
      user: 'auditor',
      password: 's3cret',
    });
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Service', 'Deployment']);
    for (const o of objects) expect(o.metadata.namespace).toBe('gateway-e2e');

    const secret = one(objects, 'Secret');
    expect(secret.stringData).toEqual({
      POSTGRES_USER: 'auditor',
      POSTGRES_PASSWORD: 's3cret',
      POSTGRES_DB: 'audit',
    });

    const c = container(objects);
    expect(c.image).toBe(POSTGRESQL_IMAGE);
    expect(POSTGRESQL_IMAGE).toMatch(/:\d+\.\d+/); // pinned to a minor version, not a floating tag
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    // The password is never written into the Deployment, only referenced.
    expect(JSON.stringify(one(objects, 'Deployment'))).not.toContain('s3cret');
    expect(c.env.find((e: Json) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({
      name: 'postgresql-secret',
      key: 'POSTGRES_PASSWORD',
    });
    const isReady = ['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', 'auditor', '-d', 'audit'];
    expect(c.readinessProbe.exec.command).toEqual(isReady);
    expect(c.livenessProbe.exec.command).toEqual(isReady);

    const service = one(objects, 'Service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports).toEqual([
      { name: 'postgresql', port: 5432, targetPort: 5432, protocol: 'TCP', nodePort: 30432 },
    ]);
    expect(service.spec.selector).toEqual({ app: 'postgresql' });
    expect(one(objects, 'Deployment').spec.selector.matchLabels).toEqual({ app: 'postgresql' });
  });

  it('keeps the Service ClusterIP when nodePort is null', () => {
    const service = one(postgresqlManifests({ namespace: 'e2e', nodePort: null }), 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports[0].nodePort).toBeUndefined();
  });

  it.each([
    [{ namespace: 'Gateway_E2E' }, 'namespace'],
    [{ namespace: 'e2e', port: 70_000 }, 'port'],
    [{ namespace: 'e2e', nodePort: 8080 }, 'nodePort'],
    [{ namespace: 'e2e', user: 'Robert"); DROP' }, 'user'],
  ])('refuses %j naming the field', (options, field) => {
    const error = configError(() => postgresqlManifests(options as never));
    expect(error.issues.map((i) => i.path)).toContain(field);
  });
});

describe('redisManifests', () => {
  it('runs the pinned image behind a ClusterIP Service with redis-cli ping probes', () => {
    const objects = redisManifests({ namespace: 'e2e' });
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Deployment']);
    const c = container(objects);
    expect(c.image).toBe(REDIS_IMAGE);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.readinessProbe.exec.command).toEqual(['redis-cli', '-p', '6379', 'ping']);
    expect(one(objects, 'Service').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'redis', port: 6379 }],
    });
  });
});

describe('datastorageManifests', () => {
  const image = 'localhost/kubernaut/datastorage:datastorage-e2e-1a2b3c4d5e6f';

  it('exposes API, metrics and health ports with /readyz and /healthz probes, RBAC and config for PostgreSQL and Redis', () => {
    const objects = datastorageManifests({ namespace: 'gateway-e2e', image });
    expect(objects.map((o) => o.kind)).toEqual([
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Service',
      'Deployment',
    ]);
    const c = container(objects);
    expect(c.image).toBe(image);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9181, protocol: 'TCP' },
      { name: 'health', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
    expect(c.env).toContainEqual({ name: 'CONFIG_PATH', value: '/etc/datastorage/config.yaml' });

    const service = one(objects, 'Service');
    expect(service.metadata.name).toBe('data-storage-service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports.find((p: Json) => p.name === 'http').nodePort).toBe(30081);

    const role = one(objects, 'ClusterRole');
    expect(role.metadata.name).toBe('gateway-e2e-data-storage-sa');
    expect(role.rules.map((r: Json) => r.resources[0])).toEqual(['tokenreviews', 'subjectaccessreviews']);
    expect(one(objects, 'ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'data-storage-sa', namespace: 'gateway-e2e' },
    ]);
    expect(one(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('data-storage-sa');

    const config = parse(one(objects, 'ConfigMap').data['config.yaml']);
    expect(config.database).toMatchObject({
      host: 'postgresql.gateway-e2e.svc.cluster.local',
      port: 5432,
      name: 'action_history',
    });
    expect(config.redis.addr).toBe('redis.gateway-e2e.svc.cluster.local:6379');
    expect(config.server.port).toBe(8080);
    expect(parse(one(objects, 'Secret').stringData['db-secrets.yaml'])).toEqual({
      username: 'slm_user',
      password: 'test_password',
    });
    // No coverage unless asked.
    expect(JSON.stringify(objects)).not.toContain('GOCOVERDIR');
  });

  it("with coverage: GOCOVERDIR=/coverdata, the node's /coverdata mounted, and root to write there", () => {
    const objects = datastorageManifests({ namespace: 'e2e', image, coverage: true });
    const pod = one(objects, 'Deployment').spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: 'GOCOVERDIR', value: '/coverdata' });
    expect(pod.volumes).toContainEqual({
      name: 'coverage',
      hostPath: { path: '/coverdata', type: 'DirectoryOrCreate' },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'coverage', mountPath: '/coverdata' });
    expect(pod.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
  });

  it('refuses two of its ports on the same number', () => {
    const error = configError(() => datastorageManifests({ namespace: 'e2e', image, healthPort: 8080 }));
    expect(error.issues[0]).toMatchObject({
      path: 'healthPort',
      message: 'port 8080 is already used by apiPort',
    });
  });
});

describe('options', () => {
  it('a bad field is a ConfigError naming it, before any object is rendered', () => {
    const image = configError(() => datastorageManifests({ namespace: 'e2e', image: 'NOT A REF' }));
    expect(image.issues.map((i) => i.path)).toEqual(['image']);
    const namespace = configError(() => postgresqlManifests({ namespace: '-bad-' }));
    expect(namespace.issues.map((i) => i.path)).toEqual(['namespace']);
  });
});
