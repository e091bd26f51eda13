import { ConfigError, type LogSink } from '@kubernaut-e2e/core';
import { z } from 'zod';
import { BUILD_ISOLATIONS, type RuntimeName } from './option-values.js';

/**
 * How the real engines build: `build: { isolation?, noCache? }` in the setup options and the project config's
 * `defaults`. Unset, podman's own defaults apply (layer cache on, its default isolation), so laptops keep theirs.
 */
export const buildSettingsSchema = z.strictObject({
  /**
   * podman's `--isolation` for RUN steps. `chroot` is what CI machines whose OCI runtime cannot run build
   * containers need (`crun: cgroups in hybrid mode not supported`). Unset: `BUILDAH_ISOLATION` from the
   * environment, else podman's default. docker has no such choice on Linux (see {@link engineBuildOptions}).
   */
  isolation: z.enum(BUILD_ISOLATIONS).optional(),
  /** `--no-cache`: every build step runs again (the seed's way). Off by default: unchanged layers are reused. */
  noCache: z.boolean().optional(),
});

export type BuildSettings = z.input<typeof buildSettingsSchema>;

/** What the podman or docker engine is created with (`createPodmanEngine(runner, { … })`). */
export interface EngineBuildOptions {
  readonly noCache?: boolean;
  readonly isolation?: string;
  /** Where the podman engine reads `BUILDAH_ISOLATION` when `isolation` is not given. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The engine options for `build` on the engine the runtime resolved to. podman: the explicit isolation wins,
 * otherwise the engine reads `BUILDAH_ISOLATION` from `env`. docker: `docker build --isolation` exists only for
 * Windows containers, so an isolation is a `ConfigError` when the caller chose docker (`runtime: 'docker'`), and is
 * ignored with a note when `auto` picked docker (a project config written for podman CI machines must still work
 * on a laptop that has only docker). `BUILDAH_ISOLATION` is podman's (buildah's) variable: docker never reads it.
 */
export function engineBuildOptions(
  engine: 'podman' | 'docker',
  requested: RuntimeName,
  build: BuildSettings | undefined,
  env: Readonly<Record<string, string | undefined>>,
  log?: LogSink,
): EngineBuildOptions {
  const noCache = build?.noCache ? { noCache: true } : {};
  if (engine === 'podman')
    return { ...noCache, ...(build?.isolation ? { isolation: build.isolation } : {}), env };
  if (build?.isolation !== undefined) {
    if (requested === 'docker') {
      throw ConfigError.field(
        'build.isolation',
        `"${build.isolation}" is podman's build isolation; docker on Linux has none to choose. Drop build.isolation, or use --runtime podman`,
        'setup options',
      );
    }
    log?.({
      source: 'build',
      stream: 'info',
      text: `build.isolation "${build.isolation}" is podman's setting; ignored with docker, which --runtime auto picked`,
      at: Date.now(),
    });
  }
  return noCache;
}
