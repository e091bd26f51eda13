import { isAbsolute, normalize, resolve } from 'node:path';
import {
  COVERAGE_CONTAINER_PATH,
  coverageMount,
  type KindClusterConfigInput,
  loadKindConfigFile,
  mergeKindConfig,
  type SourcedMount,
  type SourcedPortMapping,
} from '@kubernaut-e2e/cluster';
import { ConfigError } from '@kubernaut-e2e/core';
import type { ServiceClusterConfig } from './cluster-config.js';
import type { DeclareContext } from './definition.js';

export interface RepositoryKindConfigRequest {
  readonly service: string;
  /** As the service or the caller wrote it: relative to the project root (or absolute, from a setup option). */
  readonly path: string;
  /** Where it was chosen, for messages: `kindConfig of service "gateway"`, or the setup option. */
  readonly field: string;
  readonly context: DeclareContext;
  /** The setup's port mappings, each with its `source` (`setup hostPorts.gateway`). */
  readonly portMappings: readonly SourcedPortMapping[];
}

/**
 * A repository's own kind config (kubernaut's `test/infrastructure/kind-<service>-config.yaml`) with what the setup
 * needs merged in: its port mappings, and the coverage mount unless the file already mounts `/coverdata`. The file
 * is read as kind reads it, strictly; a bad field, a host port both sides map to different node ports, or a
 * container path mounted from two host directories is a `ConfigError` naming the file and both sides.
 *
 * Relative `hostPath`s (`./coverdata`) resolve against the project root. kind itself resolves them against the
 * directory it runs in; kubernaut's gateway and aianalysis suites run it from the repository root (its
 * datastorage, workflowexecution and authwebhook suites from `test/e2e/<suite>`, where `./coverdata` lands
 * elsewhere). The config kind receives then holds absolute paths only, so the directory kind runs in plays no part.
 */
export async function repositoryKindConfig(
  request: RepositoryKindConfigRequest,
): Promise<ServiceClusterConfig> {
  const { context, service } = request;
  const file = resolve(context.projectRoot, request.path);
  const label = isAbsolute(request.path) ? file : normalize(request.path);
  const loaded = await loadKindConfigFile(file, { cwd: context.projectRoot }).catch((error: unknown) =>
    rethrow(error, `kind config ${file} (${request.field})`, request.field),
  );

  const existing = coverdataMount(loaded.config);
  const mounts: SourcedMount[] = [];
  // The file's own /coverdata mount is where coverage lands, unless E2E_COVERDIR says otherwise (then the merge
  // refuses two host directories for one container path, naming both).
  if (context.coverage && context.coverageDir && (context.coverageDirGiven || existing === undefined)) {
    mounts.push({
      ...coverageMount(context.coverageDir),
      source: context.coverageDirGiven
        ? 'setup coverage directory (E2E_COVERDIR)'
        : 'setup coverage directory',
    });
  }
  const merged = (() => {
    try {
      return mergeKindConfig(
        loaded.config,
        { portMappings: request.portMappings, mounts },
        { sources: { base: label, additions: 'setup' } },
      );
    } catch (error) {
      return rethrow(
        error,
        `kind config ${label} of service "${service}" with the setup's port mappings and mounts`,
      );
    }
  })();

  const addedMappings = count(merged.config, 'extraPortMappings') - count(loaded.config, 'extraPortMappings');
  const addedMounts = count(merged.config, 'extraMounts') - count(loaded.config, 'extraMounts');
  const head =
    addedMappings + addedMounts === 0
      ? `kind config: ${label}, used as is (it already maps the setup's ${request.portMappings.length} host port(s))`
      : `kind config: ${label}, merged: the setup added ${[
          addedMappings > 0 ? plural(addedMappings, 'port mapping') : undefined,
          addedMounts > 0 ? plural(addedMounts, 'mount') : undefined,
        ]
          .filter((part) => part !== undefined)
          .join(' and ')}`;
  const notes = [
    head,
    ...merged.changes.filter((c) => c !== 'used as is').map((c) => `  ${c}`),
    ...loaded.resolvedHostPaths.map(
      (p) =>
        `  ${p.path} ${p.written} → ${p.resolved} (a relative hostPath resolves against the project root)`,
    ),
  ];
  const usesFileMount = existing !== undefined && !context.coverageDirGiven;
  if (usesFileMount && context.coverage) {
    notes.push(`  coverage: /coverdata is ${existing}, as ${label} mounts it`);
  }
  return { config: merged.config, notes, ...(usesFileMount ? { coverageDir: existing } : {}) };
}

/** The host directory the first control-plane node mounts at `/coverdata` (where merges add mounts). */
function coverdataMount(config: KindClusterConfigInput): string | undefined {
  const node = (config.nodes ?? []).find((n) => (n.role ?? 'control-plane') === 'control-plane');
  return node?.extraMounts?.find((m) => normalize(m.containerPath) === COVERAGE_CONTAINER_PATH)?.hostPath;
}

function count(config: KindClusterConfigInput, field: 'extraPortMappings' | 'extraMounts'): number {
  return (config.nodes ?? []).reduce((n, node) => n + (node[field]?.length ?? 0), 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// The cluster package's errors name the file and the field inside it; this adds which service chose the file. An
// issue about the file as a whole (missing, not YAML) is put at the field that named it.
function rethrow(error: unknown, subject: string, fileField?: string): never {
  if (!(error instanceof ConfigError)) throw error;
  throw new ConfigError(
    error.issues.map((i) => (i.path === '' && fileField ? { ...i, path: fileField } : i)),
    { subject, cause: error },
  );
}
