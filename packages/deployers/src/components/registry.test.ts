import { fileURLToPath } from 'node:url';
import { ConfigError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { componentKinds, deployComponent, parseComponents } from './registry.js';

const migrations = fileURLToPath(new URL('../__fixtures__/migrations/good', import.meta.url));
const image = 'localhost/kubernaut/gateway:gateway-e2e-0123456789ab';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseComponents', () => {
  it('parses a full stack and fills in defaults', () => {
    const specs = parseComponents([
      { kind: 'postgresql', namespace: 'gateway-e2e' },
      { kind: 'redis', namespace: 'gateway-e2e' },
      { kind: 'migrations', namespace: 'gateway-e2e', directory: migrations },
      {
        kind: 'datastorage',
        namespace: 'gateway-e2e',
        image: 'localhost/kubernaut/datastorage:ds-0123456789ab',
      },
      {
        kind: 'service',
        name: 'gateway',
        namespace: 'gateway-e2e',
        image,
        ports: [{ name: 'http', port: 8080 }],
        nodePorts: { http: 30080 },
      },
    ]);
    expect(specs.map((s) => s.kind)).toEqual([...componentKinds]);
    expect(specs[0]).toMatchObject({
      kind: 'postgresql',
      name: 'postgresql',
      nodePort: 30432,
      rolloutTimeoutMs: 180_000,
    });
    expect(specs[2]).toMatchObject({ kind: 'migrations', service: 'postgresql', remotePort: 5432 });
  });

  it('names an unknown component kind and lists the allowed ones', () => {
    const error = configError(() =>
      parseComponents([
        { kind: 'postgresql', namespace: 'e2e' },
        { kind: 'mysql', namespace: 'e2e' },
      ]),
    );
    expect(error.issues).toEqual([
      {
        path: 'components[1].kind',
        message:
          'unknown component kind "mysql"; allowed: postgresql, redis, migrations, datastorage, service',
      },
    ]);
  });

  it('reports every bad field of every component at once, with its path', () => {
    const error = configError(() =>
      parseComponents([
        { kind: 'redis', namespace: 'Not_A_Label' },
        { kind: 'service', name: 'gateway', namespace: 'e2e', image, ports: [{ name: 'http', port: 0 }] },
        {
          kind: 'service',
          name: 'notify',
          namespace: 'e2e',
          image,
          ports: [
            { name: 'http', port: 8080 },
            { name: 'grpc', port: 8080 },
          ],
        },
      ]),
    );
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain('components[0].namespace');
    expect(paths).toContain('components[1].ports[0].port');
    expect(paths).toContain('components[2].ports[1].port');
    expect(error.issues.find((i) => i.path === 'components[1].ports[0].port')!.message).toContain(
      '1 to 65535',
    );
    expect(error.issues.find((i) => i.path === 'components[2].ports[1].port')!.message).toBe(
      'port 8080 is already used by ports[0]',
    );
  });

  it('refuses a node port pinned by two components', () => {
    const error = configError(() =>
      parseComponents([
        { kind: 'postgresql', namespace: 'e2e' },
        {
          kind: 'service',
          name: 'gateway',
          namespace: 'e2e',
          image,
          ports: [{ name: 'http', port: 8080 }],
          nodePorts: { http: 30432 },
        },
      ]),
    );
    expect(error.issues).toEqual([
      {
        path: 'components[1].nodePorts.http',
        message: 'node port 30432 is already used by components[0].nodePort',
      },
    ]);
  });

  it('refuses a node port outside the NodePort range and one that names no port', () => {
    const error = configError(() =>
      parseComponents([
        {
          kind: 'service',
          name: 'gateway',
          namespace: 'e2e',
          image,
          ports: [{ name: 'http', port: 8080 }],
          nodePorts: { http: 8080, grpc: 30090 },
        },
      ]),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'components[0].nodePorts.grpc',
      'components[0].nodePorts.http',
    ]);
    expect(error.message).toContain('30000–32767');
    expect(error.message).toContain('nodePorts names port "grpc", but the ports are: http');
  });

  it('refuses a migration directory that does not exist', () => {
    const error = configError(() =>
      parseComponents([{ kind: 'migrations', namespace: 'e2e', directory: '/nonexistent/migrations' }]),
    );
    expect(error.issues).toEqual([
      {
        path: 'components[0].directory',
        message: 'migration directory /nonexistent/migrations does not exist',
      },
    ]);
  });
});

describe('deployComponent', () => {
  it('deploys a generic service: apply, then its rollout', async () => {
    const runner = new ScriptedRunner([
      { match: (argv) => argv[3] === 'apply' },
      {
        argv: [
          'kubectl',
          '--kubeconfig',
          '/kc',
          'rollout',
          'status',
          'deployment/gateway',
          '-n',
          'e2e',
          '--timeout=180s',
        ],
      },
    ]);
    const [spec] = parseComponents([
      {
        kind: 'service',
        name: 'gateway',
        namespace: 'e2e',
        image,
        ports: [{ name: 'http', port: 8080 }],
        nodePorts: { http: 30080 },
      },
    ]);
    const result = await deployComponent(createKubectlClient({ runner, kubeconfigPath: '/kc' }), spec!);
    expect(result).toEqual({
      kind: 'service',
      endpoint: { namespace: 'e2e', service: 'gateway', ports: { http: 8080 }, nodePorts: { http: 30080 } },
    });
    runner.assertAllUsed();
  });
});
