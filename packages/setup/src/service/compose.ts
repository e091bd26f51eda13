import type { DeploymentSpec } from './spec/deployment.js';
import type {
  CertificateSpec,
  ConfigMapSpec,
  ImageSpec,
  ManifestSpec,
  MigrationSpec,
  SecretSpec,
  SeedSpec,
} from './spec/parts.js';
import type { RunContext } from './spec/run-context.js';
import type { ServiceSpec, StackSpec } from './spec/service.js';
import { flattenStacks } from './stack.js';

/** A part of a declaration and the field path that declared it (`deployments[0]`, `datastorage stack images.redis`). */
export interface Located<T> {
  readonly value: T;
  readonly at: string;
}

/** Every part of a service and of the stacks it uses, in composition order (stacks first), each with its origin. */
export interface ComposedService {
  readonly spec: ServiceSpec;
  readonly images: readonly Located<ImageSpec & { readonly id: string }>[];
  readonly crds: readonly Located<string>[];
  readonly certificates: readonly Located<CertificateSpec>[];
  readonly secrets: readonly Located<SecretSpec>[];
  readonly configMaps: readonly Located<ConfigMapSpec>[];
  readonly deployments: readonly Located<DeploymentSpec>[];
  readonly migrations: readonly Located<MigrationSpec>[];
  readonly manifests: readonly Located<ManifestSpec>[];
  readonly seeds: readonly Located<SeedSpec>[];
  readonly endpoints: readonly Located<(run: RunContext) => Record<string, string>>[];
}

type Parts = Omit<StackSpec, 'name' | 'description' | 'uses'>;

/** Concatenates the parts of the service's stacks (each once, before what uses it) and its own. */
export function composeService(spec: ServiceSpec): ComposedService {
  const sources: { parts: Parts; prefix: string }[] = [
    ...flattenStacks(spec.uses ?? []).map((stack) => ({
      parts: stack.spec as Parts,
      prefix: `${stack.name} stack `,
    })),
    { parts: spec, prefix: '' },
  ];
  const list = <T>(pick: (p: Parts) => readonly T[] | undefined, field: string): Located<T>[] =>
    sources.flatMap(({ parts, prefix }) =>
      (pick(parts) ?? []).map((value, i) => ({ value, at: `${prefix}${field}[${i}]` })),
    );
  return {
    spec,
    images: sources.flatMap(({ parts, prefix }) =>
      Object.entries(parts.images ?? {}).map(([id, image]) => ({
        value: { ...image, id },
        at: `${prefix}images.${id}`,
      })),
    ),
    crds: list((p) => p.crds, 'crds'),
    certificates: list((p) => p.certificates, 'certificates'),
    secrets: list((p) => p.secrets, 'secrets'),
    configMaps: list((p) => p.configMaps, 'configMaps'),
    deployments: list((p) => p.deployments, 'deployments'),
    migrations: list((p) => p.migrations, 'migrations'),
    manifests: list((p) => p.manifests, 'manifests'),
    seeds: list((p) => p.seeds, 'seeds'),
    endpoints: sources.flatMap(({ parts, prefix }) =>
      parts.endpoints ? [{ value: parts.endpoints, at: `${prefix}endpoints` }] : [],
    ),
  };
}

/** Every component id with where it was declared, in declaration order. */
export function componentsOf(composed: ComposedService): Located<string>[] {
  return [
    ...composed.deployments.map((d) => ({ value: d.value.id, at: `${d.at}.id` })),
    ...composed.migrations.map((m) => ({ value: m.value.id, at: `${m.at}.id` })),
    ...composed.manifests.map((m) => ({ value: m.value.id, at: `${m.at}.id` })),
    ...composed.seeds.map((s) => ({ value: s.value.id, at: `${s.at}.id` })),
  ];
}
