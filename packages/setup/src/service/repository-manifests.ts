import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CommandError,
  type CommandRunner,
  ConfigError,
  isClusterScoped,
  type KubeObject,
} from '@kubernaut-e2e/core';
import type { StepValues } from '@kubernaut-e2e/orchestrator';
import { parseAllDocuments } from 'yaml';
import type { Located } from './compose.js';
import type { ManifestSpec } from './spec/parts.js';
import type { RunContext } from './spec/run-context.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A repository path's objects, parsed; `field` names the declaration in errors. */
async function readSource(
  projectRoot: string,
  source: string,
  field: string,
  runner: CommandRunner,
): Promise<KubeObject[]> {
  const path = join(projectRoot, source);
  if (!existsSync(path))
    throw ConfigError.field(field, `${source} does not exist in the project root ${projectRoot}`);
  if (statSync(path).isDirectory()) {
    if (KUSTOMIZATION_FILES.some((f) => existsSync(join(path, f)))) {
      // `kubectl kustomize` renders with no cluster; a directory that does not render is bad input, found now.
      const rendered = await runner.run('kubectl', ['kustomize', path]).catch((error: unknown) => {
        const tail = error instanceof CommandError ? error.stderrTail.slice(-3).join(' | ') : String(error);
        throw ConfigError.field(field, `${source} is a kustomize directory that does not render: ${tail}`);
      });
      return parseObjects(rendered.stdout, `${source} (kubectl kustomize)`, field);
    }
    const files = readdirSync(path)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    if (files.length === 0)
      throw ConfigError.field(field, `${source} holds no *.yaml files and no kustomization`);
    return files.flatMap((f) => parseObjects(readFileSync(join(path, f), 'utf8'), `${source}/${f}`, field));
  }
  return parseObjects(readFileSync(path, 'utf8'), source, field);
}

function parseObjects(text: string, file: string, field: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0)
      throw ConfigError.field(field, `${file} is not valid YAML: ${document.errors[0]!.message}`);
    const value = document.toJSON() as Partial<KubeObject> | null;
    if (value === null || value === undefined) continue;
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !value.metadata?.name) {
      throw ConfigError.field(field, `${file} has a document without apiVersion, kind and metadata.name`);
    }
    objects.push(value as KubeObject);
  }
  return objects;
}

/** Puts a namespaced object, and the ServiceAccounts its bindings name, into the run's namespace. */
function intoNamespace(
  object: KubeObject,
  namespace: string,
  clusterScopedKinds: ReadonlySet<string>,
): KubeObject {
  const clusterScoped = isClusterScoped(object.kind) || clusterScopedKinds.has(object.kind);
  const subjects = object.subjects as { kind?: string; namespace?: string }[] | undefined;
  return {
    ...object,
    metadata: clusterScoped ? object.metadata : { ...object.metadata, namespace },
    ...(Array.isArray(subjects)
      ? { subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? { ...s, namespace } : s)) }
      : {}),
  };
}

/** Replaces container images named in `images` (the reference without tag or digest) with the run's references. */
function withImages(value: unknown, images: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((v) => withImages(v, images));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'image' && typeof child === 'string') {
      const name = child.replace(/@sha256:[a-f0-9]{64}$/, '').replace(/:[\w][\w.-]{0,127}$/, '');
      out[key] = images[name] ?? child;
    } else out[key] = withImages(child, images);
  }
  return out;
}

/**
 * Objects written in the declaration (a function of the run, or a list): namespaced ones without a namespace go into
 * the run's; with `namespaced: true` every namespaced object does, whatever it names.
 */
export function inlineManifests(
  m: Extract<ManifestSpec, { objects: unknown }>,
  run: RunContext,
  clusterScopedKinds: ReadonlySet<string>,
): RepositoryManifests {
  const list = (typeof m.objects === 'function' ? m.objects(run) : m.objects).map((o) =>
    m.namespaced === true || (o.metadata.namespace === undefined && m.namespaced !== false)
      ? intoNamespace(o, run.namespace, clusterScopedKinds)
      : o,
  );
  return { objects: list, render: () => list };
}

/** What a `manifests` entry applies: its objects read now, rendered with the run's image references later. */
export interface RepositoryManifests {
  readonly objects: readonly KubeObject[];
  render(values: StepValues): KubeObject[];
}

/**
 * Reads a `manifests` entry before anything runs: files, directories (`*.yaml`, not recursive) and kustomize
 * directories (`kubectl kustomize`). Namespace objects are dropped (the run has its own), namespaced objects and the
 * ServiceAccounts bindings name go into the run's namespace, `kinds` keeps only those kinds, and `images` swaps the
 * named images for this run's when the step applies.
 */
export async function readRepositoryManifests(
  { value: m, at }: Located<Extract<ManifestSpec, { from: unknown }>>,
  context: {
    readonly projectRoot: string;
    readonly namespace: string;
    readonly clusterScopedKinds: ReadonlySet<string>;
  },
  runner: CommandRunner,
): Promise<RepositoryManifests> {
  const sources = Array.isArray(m.from) ? m.from : [m.from as string];
  const read: KubeObject[] = [];
  for (const [i, source] of sources.entries()) {
    const field = Array.isArray(m.from) ? `${at}.from[${i}]` : `${at}.from`;
    read.push(...(await readSource(context.projectRoot, source, field, runner)));
  }
  const kept = read
    .filter((o) => o.kind !== 'Namespace')
    .filter((o) => m.kinds === undefined || m.kinds.includes(o.kind));
  if (kept.length === 0) {
    throw ConfigError.field(
      `${at}.from`,
      `no objects to apply${m.kinds ? ` of kinds ${m.kinds.join(', ')}` : ''}`,
    );
  }
  const objects =
    m.namespaced === false
      ? kept
      : kept.map((o) => intoNamespace(o, context.namespace, context.clusterScopedKinds));
  const imageIds = m.images ?? {};
  return {
    objects,
    render: (values) => {
      const refs = Object.fromEntries(
        Object.entries(imageIds).map(([name, id]) => [name, values.images[id]!]),
      );
      return Object.keys(refs).length === 0 ? objects : (withImages(objects, refs) as KubeObject[]);
    },
  };
}
