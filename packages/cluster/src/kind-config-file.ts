import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, type ConfigIssue, formatIssuePath } from '@kubernaut-e2e/core';
import { type Document, isNode, LineCounter, parseAllDocuments } from 'yaml';
import { fieldIssues } from './field-issues.js';
import {
  KIND_CONFIG_API_VERSION,
  KIND_CONFIG_KIND,
  type KindClusterConfigInput,
  kindClusterConfigSchema,
} from './kind-config-schema.js';

export interface LoadKindConfigFileOptions {
  /**
   * The directory the `kind` process would run in: kind resolves a relative `extraMounts[].hostPath`
   * against its own working directory, not against the config file. Default `process.cwd()`. To mirror a
   * repository's tooling, pass the directory it runs kind from (kubernaut's gateway and aianalysis
   * suites: the repository root).
   */
  readonly cwd?: string;
}

/** A relative `hostPath` the loader made absolute. */
export interface ResolvedHostPath {
  /** The field, e.g. `nodes[0].extraMounts[0].hostPath`. */
  readonly path: string;
  /** As written in the file, e.g. `./coverdata`. */
  readonly written: string;
  /** Absolute, e.g. `/home/me/kubernaut/coverdata`. */
  readonly resolved: string;
}

export interface LoadedKindConfig {
  /** The config file's absolute path. */
  readonly file: string;
  /**
   * The file's cluster config, validated. Relative host paths are made absolute; nothing else is changed
   * and no default is added, so `mergeKindConfig` can tell what the file itself says.
   */
  readonly config: KindClusterConfigInput;
  readonly resolvedHostPaths: readonly ResolvedHostPath[];
}

/**
 * Reads a kind config file (`kind: Cluster`, `apiVersion: kind.x-k8s.io/v1alpha4`) as kind itself would:
 * strictly — an unknown field, a wrong `kind`/`apiVersion`, a bad value or invalid YAML is refused. Every
 * problem is reported together in one `ConfigError` whose subject names the file and whose issues name
 * the field (`nodes[0].extraPortMappings[2].hostPort`) and its line.
 *
 * Relative `extraMounts[].hostPath` values are resolved exactly as kind resolves them: against the
 * working directory of the `kind` process (`options.cwd`). kind's node providers call Go's
 * `filepath.Abs` on them — kubernetes-sigs/kind `pkg/cluster/internal/providers/docker/provision.go`
 * ("fixup relative paths, docker can only handle absolute paths"), and the same in `podman/provision.go`
 * and `nerdctl/provision.go` — and `filepath.Abs` joins with the process's current directory. The
 * config file's own location plays no part.
 */
export async function loadKindConfigFile(
  path: string,
  options: LoadKindConfigFileOptions = {},
): Promise<LoadedKindConfig> {
  const file = resolve(path);
  const subject = `kind config ${file}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code})`;
    throw new ConfigError([{ path: '', message: `${file} ${reason}` }], { subject, cause: error });
  }

  const lineCounter = new LineCounter();
  const document = singleDocument(parseAllDocuments(text, { lineCounter }), subject);
  const value: unknown = document.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `the file must hold one YAML mapping (kind: ${KIND_CONFIG_KIND}, apiVersion: …)`,
        },
      ],
      { subject },
    );
  }
  const raw = value as Record<string, unknown>;
  const resolvedHostPaths = resolveRelativeHostPaths(raw, options.cwd ?? process.cwd());

  const locate = (fieldPath: readonly PropertyKey[]): string | undefined => {
    // The nearest node that exists: a missing field is reported where its parent is.
    for (let n = fieldPath.length; n >= 0; n--) {
      const node = document.getIn(fieldPath.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `line ${line}, column ${col}`;
      }
    }
    return undefined;
  };
  const issues: ConfigIssue[] = [];
  // kind reads apiVersion and kind first and refuses anything but its own (encoding/load.go).
  if (raw.apiVersion === undefined) {
    issues.push({
      path: 'apiVersion',
      message: `apiVersion is missing; kind needs "${KIND_CONFIG_API_VERSION}"`,
    });
  }
  if (raw.kind === undefined) {
    issues.push({ path: 'kind', message: `kind is missing; kind needs "${KIND_CONFIG_KIND}"` });
  }
  const parsed = kindClusterConfigSchema.safeParse(raw);
  if (!parsed.success) issues.push(...fieldIssues(parsed.error, { locate }));
  if (issues.length > 0) {
    throw new ConfigError(issues, { subject, ...(parsed.success ? {} : { cause: parsed.error }) });
  }
  return { file, config: raw as KindClusterConfigInput, resolvedHostPaths };
}

function singleDocument(documents: Document.Parsed[], subject: string): Document.Parsed {
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      // The library's message ends with a source excerpt; its first line already says where.
      throw new ConfigError([{ path: '', message: `not valid YAML: ${error.message.split('\n')[0]}` }], {
        subject,
        cause: error,
      });
    }
  }
  // A leading or trailing `---` makes an empty document; only documents with content count.
  const withContent = documents.filter((d) => d.toJS() != null);
  if (withContent.length === 0) {
    throw new ConfigError(
      [
        {
          path: '',
          message: `the file is empty; a kind config needs at least kind: ${KIND_CONFIG_KIND} and apiVersion`,
        },
      ],
      { subject },
    );
  }
  if (withContent.length > 1) {
    // kind decodes only the first document and would silently ignore the rest.
    throw new ConfigError(
      [
        {
          path: '',
          message: `the file holds ${withContent.length} YAML documents; kind reads only the first, so put the whole cluster config in one`,
        },
      ],
      { subject },
    );
  }
  return withContent[0]!;
}

// Mutates `raw` (a fresh object from the parser) and reports what it changed. Only well-formed entries
// are touched; anything malformed is left for the schema to report.
function resolveRelativeHostPaths(raw: Record<string, unknown>, cwd: string): ResolvedHostPath[] {
  const resolved: ResolvedHostPath[] = [];
  if (!Array.isArray(raw.nodes)) return resolved;
  raw.nodes.forEach((node: unknown, i) => {
    const mounts = (node as { extraMounts?: unknown } | null)?.extraMounts;
    if (!Array.isArray(mounts)) return;
    mounts.forEach((mount: unknown, j) => {
      const entry = mount as { hostPath?: unknown } | null;
      const hostPath = entry?.hostPath;
      // An empty hostPath would resolve to the working directory itself: left for the schema to refuse.
      if (typeof hostPath !== 'string' || hostPath === '' || isAbsolute(hostPath)) return;
      const absolute = resolve(cwd, hostPath);
      (entry as { hostPath: string }).hostPath = absolute;
      resolved.push({
        path: formatIssuePath(['nodes', i, 'extraMounts', j, 'hostPath']),
        written: hostPath,
        resolved: absolute,
      });
    });
  });
  return resolved;
}
