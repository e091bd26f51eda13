// RemediationWorkflows seeded from the repository's fixtures with a catalog status written directly, as kubernaut's
// suites without an auth webhook do (`SeedWorkflowsViaDirectCRDCreationFromKubeconfig`,
// `test/infrastructure/workflow_seeding_direct_crd.go:55-173` at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';
import type { RunContext, SeedSpec } from '@kubernaut-e2e/setup';

/**
 * yaml, required when a workflow is first read rather than imported with the config: `--help` and `plan` of a
 * service that seeds no workflow load the config without it (its CommonJS build is 60 files).
 */
const parse = (text: string): unknown => {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule.parse(text);
};
let yamlModule: typeof import('yaml') | undefined;

/** The UUIDv5 namespace kubernaut derives workflow ids in (`pkg/shared/contenthash/contenthash.go:44`). */
const WORKFLOW_ID_NAMESPACE = '6ba7b810-9dad-51d0-80b7-00c04fd430c8';

/** A name-based UUID (RFC 4122 version 5: SHA-1 of the namespace's bytes and the name). */
export function uuidV5(name: string, namespace = WORKFLOW_ID_NAMESPACE): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A workflow fixture: the RemediationWorkflow in `test/fixtures/workflows/<dir>/workflow-schema.yaml`. */
export interface SeededWorkflow {
  readonly dir: string;
  readonly object: KubeObject;
  /** sha256 of the workflow's definition (apiVersion, kind, metadata.name, spec) as JSON. */
  readonly contentHash: string;
  /** UUIDv5 of the content hash in kubernaut's namespace: the id the catalog and the mock LLM use. */
  readonly workflowId: string;
}

export const workflowFixturePath = (dir: string) => `test/fixtures/workflows/${dir}/workflow-schema.yaml`;

/**
 * Reads the workflow fixtures of the project. kubernaut hashes the Go JSON encoding of the typed spec; this hashes
 * the JSON of the spec as the file writes it, so the ids are as stable (same file, same id) but not kubernaut's.
 */
export function readWorkflows(run: RunContext, dirs: readonly string[], field: string): SeededWorkflow[] {
  return dirs.map((dir) => {
    const path = workflowFixturePath(dir);
    let object: KubeObject;
    try {
      object = parse(readFileSync(join(run.projectRoot, path), 'utf8')) as KubeObject;
    } catch (error) {
      throw ConfigError.field(
        field,
        `cannot read the workflow fixture ${path} in ${run.projectRoot}: ${(error as Error).message}`,
      );
    }
    if (object?.kind !== 'RemediationWorkflow' || typeof object.metadata?.name !== 'string')
      throw ConfigError.field(field, `${path} is not a RemediationWorkflow with a metadata.name`);
    const definition = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name },
      spec: object.spec,
    };
    const contentHash = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
    return { dir, object: definition, contentHash, workflowId: uuidV5(contentHash) };
  });
}

/**
 * The seed: each workflow created, then its status set as the auth webhook would (registered, active, with its id),
 * once DataStorage, whose catalog reads them, is ready.
 */
export function workflowSeed(dirs: readonly string[], dependsOn: readonly string[]): SeedSpec {
  return {
    id: 'remediation-workflows',
    dependsOn: [...dependsOn],
    objects: (run) =>
      readWorkflows(run, dirs, 'seeds.remediation-workflows').map((w) => ({
        ...w.object,
        status: {
          workflowId: w.workflowId,
          contentHash: w.contentHash,
          catalogStatus: 'Active',
          registeredBy: 'kubernaut-e2e',
        },
      })),
  };
}
