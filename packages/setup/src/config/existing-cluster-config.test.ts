import { describe, expect, it } from 'vitest';
import { defineService } from '../service/define-service.js';
import { projectConfigSchema } from './config-schema.js';
import type { LoadedConfig } from './load-config.js';
import { serviceOptions } from './service-options.js';

const orders = defineService({
  name: 'orders',
  hostPorts: { orders: 19380 },
  images: { orders: { dockerfile: 'docker/gateway.Dockerfile' } },
  deployments: [{ id: 'orders', image: 'orders', dependsOn: [], ports: [{ name: 'http', port: 8080 }] }],
});

const shared = { existing: { context: 'ci-shared' } };

describe('a shared cluster in the project config', () => {
  it('takes cluster and registry in defaults and per service; a flag still wins', () => {
    const config = {
      services: [orders],
      defaults: { cluster: shared, registry: { url: 'registry.ci.example.com:5000/e2e' } },
      overrides: { orders: { cluster: { existing: { context: 'ci-big' } } } },
    };
    expect(projectConfigSchema.safeParse(config).success).toBe(true);
    const loaded = { ...config, file: 'kubernaut-e2e.config.ts' } as unknown as LoadedConfig;
    expect(serviceOptions(loaded, 'orders')).toMatchObject({
      cluster: { existing: { context: 'ci-big' } },
      registry: { url: 'registry.ci.example.com:5000/e2e' },
    });
    expect(serviceOptions(loaded, 'orders', { registry: { url: 'localhost:5000' } }).registry).toEqual({
      url: 'localhost:5000',
    });
  });

  it.each([
    [
      'existing without a context',
      { cluster: { existing: { context: ' ' } } },
      'defaults.cluster.existing.context',
    ],
    [
      'a registry that is not host:port[/prefix]',
      { registry: { url: 'registry.ci.example.com' } },
      'defaults.registry.url',
    ],
  ])('refuses %s, naming the field', (_, defaults, path) => {
    const parsed = projectConfigSchema.safeParse({ services: [orders], defaults });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
