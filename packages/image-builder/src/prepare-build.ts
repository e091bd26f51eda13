import { statSync } from 'node:fs';
import { ConfigError, type EngineName } from '@kubernaut-e2e/core';
import type { BuildImageOptions } from './build-options.js';
import { parseImageConfig, type ResolvedImageConfig } from './config.js';
import { hostGoArch } from './host-arch.js';
import { type BuildMode, buildModeFromEnv } from './modes.js';

/** A validated build, ready to run: everything `buildImageForKind` checks before any command. */
export interface PreparedBuild {
  readonly config: ResolvedImageConfig;
  readonly mode: BuildMode;
  readonly buildArgs: Readonly<Record<string, string>>;
}

/** What validating a build needs to know: the engine's name (not the engine), the project root, the environment. */
export interface BuildTarget {
  readonly engine: EngineName;
  readonly projectRoot: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly hostArch?: string;
}

/** Validates config, options and environment; throws `ConfigError` before anything runs. */
export function prepareBuild(config: unknown, options: BuildImageOptions): PreparedBuild {
  if (!options || typeof options !== 'object' || !options.engine) {
    throw ConfigError.field(
      'engine',
      'is required: pass createPodmanEngine(runner) or createDockerEngine(runner)',
      'build options',
    );
  }
  return prepareBuildFor(config, {
    engine: options.engine.name,
    projectRoot: options.projectRoot,
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.hostArch !== undefined ? { hostArch: options.hostArch } : {}),
  });
}

/** {@link prepareBuild} for an engine known by name only (what a reference needs; nothing is run). */
export function prepareBuildFor(config: unknown, options: BuildTarget): PreparedBuild {
  if (typeof options.projectRoot !== 'string' || options.projectRoot.trim() === '') {
    throw ConfigError.field(
      'projectRoot',
      'is required: the directory every Dockerfile and build context must stay inside',
      'build options',
    );
  }
  const env = options.env ?? process.env;
  const resolved = parseImageConfig(config, options.projectRoot, env);
  const mode = buildModeFromEnv(env);
  if (mode.kind === 'build' && resolved.goModCache !== undefined && options.engine === 'docker') {
    throw ConfigError.field(
      'goModCache',
      'docker build cannot bind-mount a host directory; use the podman engine or drop goModCache (a BuildKit cache mount in the Dockerfile does the same job)',
      'image config',
    );
  }
  if (mode.kind === 'build') checkPathsExist(resolved);
  return {
    config: resolved,
    mode,
    buildArgs: effectiveBuildArgs(resolved, options.hostArch ?? process.arch),
  };
}

/** A missing Dockerfile or context is bad input too: name the field, before podman says it less clearly. */
function checkPathsExist(config: ResolvedImageConfig): void {
  const kind = (path: string) => {
    try {
      const info = statSync(path);
      return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
    } catch {
      return 'missing';
    }
  };
  const issues: { path: string; message: string }[] = [];
  if (kind(config.dockerfile) !== 'file') {
    issues.push({
      path: 'dockerfilePath',
      message: `${config.dockerfile} is not a file: point dockerfilePath at the service's Dockerfile`,
    });
  }
  if (kind(config.context) !== 'dir') {
    issues.push({
      path: 'buildContextPath',
      message: `${config.context} is not a directory: the build context must be an existing directory`,
    });
  }
  if (config.goModCache !== undefined && kind(config.goModCache) !== 'dir') {
    issues.push({
      path: 'goModCache',
      message: `${config.goModCache} is not a directory: give the host Go module cache (\`go env GOMODCACHE\`) or leave it out`,
    });
  }
  if (issues.length) throw new ConfigError(issues, { subject: 'image config' });
}

/**
 * The build arguments actually passed: `GOARCH` of the host (kind nodes run the host's architecture),
 * the caller's arguments (which may override it), and `GOFLAGS=-cover` for coverage builds (appended to
 * any GOFLAGS the caller set).
 */
export function effectiveBuildArgs(config: ResolvedImageConfig, nodeArch: string): Record<string, string> {
  const goArch = hostGoArch(nodeArch);
  const args: Record<string, string> = { ...(goArch ? { GOARCH: goArch } : {}), ...config.buildArgs };
  if (config.enableCoverage) args.GOFLAGS = args.GOFLAGS ? `${args.GOFLAGS} -cover` : '-cover';
  return args;
}
