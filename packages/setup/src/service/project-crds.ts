import { readCrdFiles, resolveCrdSources } from '@kubernaut-e2e/cluster';
import { ConfigError, type KubeObject } from '@kubernaut-e2e/core';

/** A CRD source and the field that declared it, e.g. `crds[0]` or `datastorage stack crds[0]`. */
export interface DeclaredCrdSource {
  readonly source: string;
  readonly field: string;
}

/**
 * Reads the CRDs that sources relative to the project root name: files, directories (their `*.yaml`, not
 * recursive, as `kubectl apply -f config/crd/bases/` reads them) or globs. Each file is read once. Every problem
 * is refused up front in one `ConfigError` at the field that declared the source: a missing file or directory
 * (with its path), a glob that matches nothing, a file that is not a v1 CustomResourceDefinition.
 */
export async function readProjectCrds(
  projectRoot: string,
  sources: readonly (string | DeclaredCrdSource)[],
  subject = 'CRD sources',
): Promise<KubeObject[]> {
  const declared = sources.map((s, i) => (typeof s === 'string' ? { source: s, field: `crds[${i}]` } : s));
  let files: string[];
  try {
    files = await resolveCrdSources(
      projectRoot,
      declared.map((d) => d.source),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // resolveCrdSources names `sources[i]`; the user wrote `crds[i]` of a service or a stack.
    const issues = error.issues.map((issue) => {
      const index = /^sources\[(\d+)\]$/.exec(issue.path)?.[1];
      const field = index === undefined ? undefined : declared[Number(index)]?.field;
      return field === undefined ? issue : { ...issue, path: field };
    });
    throw new ConfigError(issues, { subject: `${subject} (project root ${projectRoot})`, cause: error });
  }
  return readCrdFiles(files);
}
