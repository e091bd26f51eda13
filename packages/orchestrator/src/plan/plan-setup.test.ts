import { ConfigError, PlanError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { gatewayDeclaration, postgresql } from '../__fixtures__/gateway.js';
import type { ComponentDeclaration } from '../declaration.js';
import { criticalPath } from './critical-path.js';
import { planSetup } from './plan-setup.js';
import type { Plan, PlanStep } from './types.js';

const edges = (plan: Plan) => Object.fromEntries(plan.steps.map((s) => [s.id, [...s.deps].sort()]));

/** The default sim profile's figures per step, to check the planner's bound (see orch-contract). */
const profileMs = (step: PlanStep): number => {
  const table: Record<string, number> = {
    'build:datastorage': 95_000,
    'build:gateway': 105_000,
    cluster: 12_000,
    crds: 3_000,
    namespace: 1_000,
    'load:datastorage': 15_000,
    'load:gateway': 15_000,
    'deploy:datastorage': 2_000,
    'ready:postgresql': 10_000,
    'ready:redis': 5_000,
    'ready:datastorage': 8_000,
    'ready:gateway': 8_000,
    'migrate:migrations': 4_000,
  };
  return table[step.id] ?? 0;
};

const common = {
  crds: ['cluster'],
  'load:datastorage': ['build:datastorage', 'cluster'],
  'load:gateway': ['build:gateway', 'cluster'],
  'load:postgres': ['cluster'],
  'load:redis': ['cluster'],
  'ready:postgresql': ['deploy:postgresql'],
  'ready:redis': ['deploy:redis'],
  'ready:datastorage': ['deploy:datastorage'],
  'ready:gateway': ['deploy:gateway'],
  'teardown:logs': [],
  'teardown:cluster': ['teardown:logs'],
};

describe('planSetup on the gateway declaration', () => {
  it('dag keeps only the real data dependencies', () => {
    const plan = planSetup(gatewayDeclaration(), { pattern: 'dag' });
    expect(edges(plan)).toEqual({
      ...common,
      'build:datastorage': [],
      'build:gateway': [],
      cluster: [],
      namespace: ['cluster'],
      'deploy:postgresql': ['crds', 'load:postgres', 'namespace'],
      'deploy:redis': ['crds', 'load:redis', 'namespace'],
      'migrate:migrations': ['namespace', 'ready:postgresql'],
      'deploy:datastorage': ['crds', 'load:datastorage', 'migrate:migrations', 'namespace', 'ready:redis'],
      'deploy:gateway': ['crds', 'load:gateway', 'namespace', 'ready:datastorage', 'ready:redis'],
    });
    expect(plan.batchLoads).toBe(true);
  });

  it('standard creates the cluster first, builds after the namespace and deploys one at a time', () => {
    const plan = planSetup(gatewayDeclaration(), { pattern: 'standard' });
    expect(edges(plan)).toEqual({
      ...common,
      cluster: [],
      namespace: ['cluster', 'crds'],
      'build:datastorage': ['namespace'],
      'build:gateway': ['namespace'],
      'deploy:postgresql': [
        'crds',
        'load:datastorage',
        'load:gateway',
        'load:postgres',
        'load:redis',
        'namespace',
      ],
      'deploy:redis': ['crds', 'load:redis', 'namespace', 'ready:postgresql'],
      'migrate:migrations': ['namespace', 'ready:postgresql', 'ready:redis'],
      'deploy:datastorage': ['crds', 'load:datastorage', 'migrate:migrations', 'namespace', 'ready:redis'],
      'deploy:gateway': ['crds', 'load:gateway', 'namespace', 'ready:datastorage', 'ready:redis'],
    });
    expect(plan.batchLoads).toBe(false);
  });

  it('hybrid builds first, then cluster, loads, infrastructure in parallel and the service last', () => {
    const plan = planSetup(gatewayDeclaration(), { pattern: 'hybrid' });
    const loads = ['load:datastorage', 'load:gateway', 'load:postgres', 'load:redis'];
    expect(edges(plan)).toEqual({
      ...common,
      'build:datastorage': [],
      'build:gateway': [],
      cluster: ['build:datastorage', 'build:gateway'],
      namespace: ['cluster', 'crds'],
      'load:datastorage': ['build:datastorage', 'cluster', 'namespace'],
      'load:gateway': ['build:gateway', 'cluster', 'namespace'],
      'load:postgres': ['cluster', 'namespace'],
      'load:redis': ['cluster', 'namespace'],
      'deploy:postgresql': ['crds', ...loads, 'namespace'],
      'deploy:redis': ['crds', ...loads, 'namespace'],
      'migrate:migrations': [...loads, 'namespace', 'ready:postgresql'],
      'deploy:datastorage': ['crds', ...loads, 'migrate:migrations', 'namespace', 'ready:redis'],
      'deploy:gateway': [
        'crds',
        ...loads,
        'migrate:migrations',
        'namespace',
        'ready:datastorage',
        'ready:postgresql',
        'ready:redis',
      ],
    });
    expect(plan.batchLoads).toBe(false);
  });

  it('hybrid puts the last deployed component last when no component is named after the service', () => {
    const plan = planSetup(gatewayDeclaration({ service: 'gateway-suite' }), { pattern: 'hybrid' });
    expect(edges(plan)['deploy:gateway']).toEqual(
      expect.arrayContaining(['ready:postgresql', 'ready:redis', 'migrate:migrations', 'ready:datastorage']),
    );
    expect(edges(plan)['deploy:redis']).toEqual([
      'crds',
      'load:datastorage',
      'load:gateway',
      'load:postgres',
      'load:redis',
      'namespace',
    ]);
  });

  it('hybrid keeps what depends on the service component after it, under every pattern without a cycle', () => {
    const base = gatewayDeclaration();
    const webhooks: ComponentDeclaration = {
      id: 'gateway-webhooks',
      kind: 'manifests',
      dependsOn: ['gateway'],
      objects: () => [],
    };
    const declaration = { ...base, components: [...base.components, webhooks] };
    for (const pattern of ['standard', 'hybrid', 'dag'] as const) {
      expect(() => planSetup(declaration, { pattern }), pattern).not.toThrow();
    }
    const hybrid = edges(planSetup(declaration, { pattern: 'hybrid' }));
    expect(hybrid['manifests:gateway-webhooks']).toContain('ready:gateway');
    expect(hybrid['deploy:gateway']).not.toContain('manifests:gateway-webhooks');
    expect(hybrid['deploy:gateway']).toContain('ready:datastorage');
  });

  it('plans the same steps, with the same kinds and resources, under every pattern', () => {
    const shape = (plan: Plan) => plan.steps.map((s) => `${s.id} ${s.kind} ${s.resource}`);
    const dag = shape(planSetup(gatewayDeclaration()));
    expect(shape(planSetup(gatewayDeclaration(), { pattern: 'standard' }))).toEqual(dag);
    expect(shape(planSetup(gatewayDeclaration(), { pattern: 'hybrid' }))).toEqual(dag);
    expect(planSetup(gatewayDeclaration()).pattern).toBe('dag');
  });

  it('gives the critical-path bounds of the contract under the default profile figures', () => {
    const bound = (pattern: 'standard' | 'hybrid' | 'dag') =>
      criticalPath(planSetup(gatewayDeclaration(), { pattern }), profileMs);
    expect(bound('standard').lengthMs).toBe(173_000);
    expect(bound('hybrid').lengthMs).toBe(168_000);
    const dag = bound('dag');
    expect(dag.lengthMs).toBe(128_000);
    expect(dag.steps.at(-1)).toBe('ready:gateway');
    expect(dag.steps).toContain('deploy:gateway');
  });

  it('omits the CRD step (and its edges) when there are no CRDs', () => {
    const plan = planSetup(gatewayDeclaration({ crds: [] }), { pattern: 'standard' });
    expect(plan.steps.map((s) => s.id)).not.toContain('crds');
    expect(edges(plan)['deploy:redis']).toEqual(['load:redis', 'namespace', 'ready:postgresql']);
    expect(edges(plan).namespace).toEqual(['cluster']);
  });
});

describe('planSetup rejects bad declarations before anything runs', () => {
  const withComponents = (components: ComponentDeclaration[]) => gatewayDeclaration({ components });

  it('names both ends of a dependency cycle', () => {
    const a: ComponentDeclaration = { ...postgresql, id: 'a', dependsOn: ['b'] };
    const b: ComponentDeclaration = { ...postgresql, id: 'b', dependsOn: ['a'] };
    expect(() => planSetup(withComponents([a, b]))).toThrow(PlanError);
    expect(() => planSetup(withComponents([a, b]))).toThrow(/cycle: a → b → a/);
  });

  it('names a dangling dependsOn and lists the declared components', () => {
    const broken = { ...postgresql, id: 'datastorage', dependsOn: ['postgres'] };
    expect(() => planSetup(withComponents([postgresql, broken]))).toThrow(
      /component "datastorage" dependsOn "postgres", which is not a declared component \(declared: postgresql, datastorage\)/,
    );
  });

  it('names an image a component runs that nobody builds', () => {
    const broken: ComponentDeclaration = { ...postgresql, id: 'worker', images: ['worker'] };
    expect(() => planSetup(withComponents([broken]))).toThrow(
      /component "worker" runs image "worker", which is not declared in images \(declared: datastorage, gateway, postgres, redis\)/,
    );
  });

  it('catches a manifest whose container image is none of the images the component lists', () => {
    const broken: ComponentDeclaration = {
      ...postgresql,
      images: [],
      manifests: () => postgresql.manifests({ postgres: 'docker.io/library/postgres:16.4-alpine' }),
    };
    expect(() => planSetup(withComponents([broken]))).toThrow(
      /component "postgresql" has a container running "docker.io\/library\/postgres:16.4-alpine".*ErrImageNeverPull/,
    );
  });

  it('rejects duplicate component ids', () => {
    expect(() => planSetup(withComponents([postgresql, postgresql]))).toThrow(
      /component id "postgresql" is declared twice/,
    );
  });

  it('reports malformed fields as a ConfigError with their path', () => {
    const bad = gatewayDeclaration({ namespace: { name: 'Kubernaut_System' } });
    try {
      planSetup(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['namespace.name']);
      expect((error as ConfigError).message).toMatch(/DNS-1123/);
    }
  });

  it('refuses a floating :latest external image', () => {
    const declaration = gatewayDeclaration();
    const images = declaration.images.map((i) =>
      i.id === 'postgres' ? { id: 'postgres', ref: 'docker.io/library/postgres:latest' } : i,
    );
    expect(() => planSetup({ ...declaration, images })).toThrow(/images\[2\]/);
    expect(() => planSetup({ ...declaration, images })).toThrow(/pinned/);
  });

  it('refuses a build-only image that a component runs: it never reaches the nodes', () => {
    const declaration = gatewayDeclaration();
    const images = declaration.images.map((i) => (i.id === 'gateway' ? { ...i, buildOnly: true } : i));
    expect(() => planSetup({ ...declaration, images })).toThrow(/runs image "gateway", which is build-only/);
  });

  it('builds a build-only image without a load step', () => {
    const declaration = gatewayDeclaration();
    const migrate = {
      id: 'db-migrate',
      build: {
        serviceName: 'db-migrate',
        imageName: 'kubernaut/db-migrate',
        dockerfilePath: 'docker/db-migrate.Dockerfile',
      },
      buildOnly: true,
    };
    const plan = planSetup({ ...declaration, images: [...declaration.images, migrate] });
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toContain('build:db-migrate');
    expect(ids).not.toContain('load:db-migrate');
  });

  it('refuses an unknown pattern', () => {
    expect(() => planSetup(gatewayDeclaration(), { pattern: 'fastest' as 'dag' })).toThrow(/pattern/);
  });
});
