import {
  type BuildRequest,
  CommandError,
  type CommandRunner,
  ConfigError,
  type ContainerEngine,
  type ImageInfo,
  type LedgerRecord,
  type OperationContext,
  OutputFormatError,
  type RunLedger,
  type RunOptions,
} from '@kubernaut-e2e/core';
import { type BuildStopPolicy, type RunningBuild, runBuildCommand } from './build-process.js';
import { FailedStepOutput } from './failed-step.js';
import { type InspectedImage, parseImageInspect } from './inspect-parser.js';
import { privateDirParent, withPrivateDir } from './private-dir.js';
import type { ProcessTree } from './proc-tree.js';
import { asStoreError, brokenImagesWarnedAbout, raceWithRemoval } from './store-errors.js';

/** What differs between the podman and docker command lines. */
export interface EngineDialect {
  readonly name: 'podman' | 'docker';
  /** The binary to run (`podman`, `docker`, or a path). */
  readonly binary: string;
  /** Argv of `save` writing every ref into one docker-archive file. */
  saveArgs(refs: readonly string[], archivePath: string): string[];
  /** Argv of `push`; `['push', ref]` when omitted. */
  pushArgs?(ref: string): string[];
  /** Argv pushing `source` as `target` in one command, when the engine has one (podman). */
  pushAsArgs?(source: string, target: string): string[];
  /** Argv fragment for one read-only bind mount during the build. */
  mountArgs(mount: { readonly source: string; readonly target: string }): string[];
  /** stderr of `inspect`/`rmi` meaning "no such image" (a normal answer, not a failure). */
  readonly missingImage: RegExp;
  /** How a cancelled or timed-out build is stopped (see {@link BuildStopPolicy}). */
  readonly buildStop: BuildStopPolicy;
  /**
   * The CLI copies layers through files in `$TMPDIR` when it saves or pushes (podman). Stopped mid-copy (a failing
   * sibling step, a timeout, Ctrl-C) it leaves a file the size of the layer there, named by digits only, because it
   * removes the file only when the copy completes. So those commands get a private `TMPDIR`, removed after them.
   */
  readonly layerCopiesInTmpdir?: boolean;
  /**
   * Images carrying `label=value` in ONE command, when the engine's listing includes labels and names
   * (podman's `images --format json`). Without it, `images --filter … --quiet` lists IDs and `image
   * inspect` reads them (docker: its listing has no labels) — one more process per cache lookup.
   */
  readonly listByLabel?: {
    args(label: string, value: string): string[];
    parse(stdout: string): InspectedImage[];
  };
}

function commandOptions(ctx: OperationContext | undefined, source: string, extra?: RunOptions): RunOptions {
  return {
    ...(ctx?.signal ? { signal: ctx.signal } : {}),
    ...(ctx?.log ? { log: ctx.log } : {}),
    logSource: ctx?.logSource ?? source,
    ...extra,
  };
}

function isMissingImage(error: unknown, pattern: RegExp): boolean {
  return error instanceof CommandError && error.stderrTail.some((line) => pattern.test(line));
}

/** Options of the podman and docker engines. */
export interface CliEngineOptions {
  /**
   * Records each running build as a `process` entry (with its pid and start time on a persisted ledger), so
   * that a cleanup — or a later `down` after this process was killed — stops the build before it removes
   * what the build made. Released when the build ends.
   */
  readonly ledger?: Pick<RunLedger, 'record' | 'release'>;
  /** How long an interrupted podman build may wind down before it is terminated; 10 min by default. */
  readonly windDownMs?: number;
  /** The process table (tests). */
  readonly processTree?: ProcessTree;
  /**
   * `--no-cache`: every step runs again, no layer is reused — the seed's way. Off by default: layers are reused,
   * and `RUN --mount=type=cache` directories (Go's build and module caches) persist between builds.
   */
  readonly noCache?: boolean;
  /**
   * `--isolation=<x>` for RUN steps (podman: `oci`, `chroot`, `rootless`). The podman engine defaults it to
   * `BUILDAH_ISOLATION` from the environment; unset, the engine's own default applies. CI machines whose OCI
   * runtime cannot run build containers (`crun: cgroups in hybrid mode not supported`) need `chroot`.
   */
  readonly isolation?: string;
  /** `--network <mode>` for RUN steps, e.g. `host` (needed next to chroot isolation when a step downloads). */
  readonly network?: string;
  /**
   * The environment the engine's commands inherit; `process.env` by default. podman reads `TMPDIR` here (the
   * parent of the private `TMPDIR` of a save or push) and, when `isolation` is not given, `BUILDAH_ISOLATION`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The engine-wide build flags {@link buildArgs} adds. */
export type BuildFlags = Pick<CliEngineOptions, 'noCache' | 'isolation' | 'network'>;

/** Argv of `build` (without the binary); exported so tests and docs can show the exact command. */
export function buildArgs(dialect: EngineDialect, request: BuildRequest, flags: BuildFlags = {}): string[] {
  // --force-rm: the build's containers are removed even when it fails or is stopped (podman's default,
  // not docker's).
  const args = ['build', '--force-rm'];
  if (flags.noCache) args.push('--no-cache');
  if (flags.isolation) args.push(`--isolation=${flags.isolation}`);
  if (flags.network) args.push('--network', flags.network);
  args.push('--file', request.dockerfile, '--tag', request.ref);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (request.platform) args.push('--platform', request.platform);
  for (const mount of request.readOnlyMounts ?? []) args.push(...dialect.mountArgs(mount));
  args.push(request.context);
  return args;
}

/** The distinct non-empty lines of `stdout`, in order: the image IDs `images --quiet` printed. */
function distinctLines(stdout: string): string[] {
  return [
    ...new Set(
      stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * A `ContainerEngine` driving a container CLI through the `CommandRunner` (argv arrays, never a shell).
 * Podman and docker differ only in the {@link EngineDialect}.
 */
export function createCliEngine(
  runner: CommandRunner,
  dialect: EngineDialect,
  options: CliEngineOptions = {},
): ContainerEngine {
  const env = options.env ?? process.env;
  const run = (args: readonly string[], ctx?: OperationContext, extra?: RunOptions) =>
    runner.run(dialect.binary, args, commandOptions(ctx, dialect.name, extra));
  /** A save or push: a command that copies layers, which podman does through files in `$TMPDIR`. */
  const copyLayers = async (args: readonly string[], ctx?: OperationContext): Promise<void> => {
    if (!dialect.layerCopiesInTmpdir) {
      await run(args, ctx);
      return;
    }
    await withPrivateDir(privateDirParent(env), 'scratch', options.ledger, (dir) =>
      run(args, ctx, { env: { TMPDIR: dir } }),
    );
  };

  const readStore = (args: readonly string[], ctx?: OperationContext) =>
    readImageStore(run, dialect, args, ctx);

  async function inspectMany(refs: readonly string[], ctx?: OperationContext): Promise<InspectedImage[]> {
    const result = await readStore(['image', 'inspect', ...refs], ctx);
    return parseImageInspect(result.stdout);
  }

  const parts: CliEngineParts = { runner, dialect, options, env, inspectMany };

  return {
    name: dialect.name,

    build: (request, ctx) => buildWithCli(parts, request, ctx),

    async inspect(ref, ctx): Promise<ImageInfo | undefined> {
      try {
        const [image] = await inspectMany([ref], ctx);
        return image === undefined ? undefined : withoutCreated(image);
      } catch (error) {
        if (isMissingImage(error, dialect.missingImage)) return undefined;
        throw error;
      }
    },

    async findByLabel(label, value, ctx) {
      const newestFirst = (images: InspectedImage[]) =>
        images
          .filter((image) => image.labels[label] === value)
          .sort((a, b) => b.createdAt - a.createdAt)
          .map(withoutCreated);
      if (dialect.listByLabel) {
        const listed = await readStore(dialect.listByLabel.args(label, value), ctx);
        return newestFirst(dialect.listByLabel.parse(listed.stdout));
      }
      const listed = await readStore(
        ['images', '--filter', `label=${label}=${value}`, '--no-trunc', '--quiet'],
        ctx,
      );
      const ids = distinctLines(listed.stdout);
      if (ids.length === 0) return [];
      return newestFirst(await inspectMany(ids, ctx));
    },

    async listLabelled(label, ctx) {
      const listed = await readStore(['images', '--filter', `label=${label}`, '--no-trunc', '--quiet'], ctx);
      const ids = distinctLines(listed.stdout);
      if (ids.length === 0) return [];
      // The filter names the key only; the labels read back say it is really there.
      return (await inspectMany(ids, ctx)).filter((image) => label in image.labels);
    },

    async tag(sourceRef, targetRef, ctx) {
      await run(['tag', sourceRef, targetRef], ctx);
    },

    async save(refs, archivePath, ctx) {
      if (refs.length === 0) throw ConfigError.field('refs', 'save needs at least one image reference');
      await copyLayers(dialect.saveArgs(refs, archivePath), ctx);
    },

    async removeImage(ref, ctx) {
      try {
        await run(['rmi', ref], ctx);
      } catch (error) {
        // Already gone is what we wanted; anything else (image in use, …) is reported.
        if (!isMissingImage(error, dialect.missingImage)) throw error;
      }
    },

    async push(ref, ctx) {
      await copyLayers(dialect.pushArgs?.(ref) ?? ['push', ref], ctx);
    },

    ...(dialect.pushAsArgs
      ? {
          async pushAs(sourceRef: string, targetRef: string, ctx?: OperationContext) {
            await copyLayers(dialect.pushAsArgs!(sourceRef, targetRef), ctx);
          },
        }
      : {}),

    async copyFromContainer(container, srcPath, destDir, ctx) {
      if (!container.trim() || !srcPath.startsWith('/'))
        throw ConfigError.field(
          'srcPath',
          `copy needs a container name and an absolute path inside it, got ${JSON.stringify(`${container}:${srcPath}`)}`,
        );
      // Same argv for podman and docker: `cp <container>:<path> <host dir>`; a path ending in `/.` copies
      // the directory's contents rather than the directory itself.
      await run(['cp', `${container}:${srcPath}`, destDir], ctx);
    },
  };
}

/** What the engine's operations share: the runner, the dialect and options, and the store's reader. */
interface CliEngineParts {
  readonly runner: CommandRunner;
  readonly dialect: EngineDialect;
  readonly options: CliEngineOptions;
  readonly env: NodeJS.ProcessEnv;
  inspectMany(refs: readonly string[], ctx?: OperationContext): Promise<InspectedImage[]>;
}

/**
 * Reads the image store: a broken image in it is reported as what it is, with the command that repairs it; a listing
 * that raced with another process removing an image is read again.
 */
async function readImageStore(
  run: (args: readonly string[], ctx?: OperationContext) => ReturnType<CommandRunner['run']>,
  dialect: EngineDialect,
  args: readonly string[],
  ctx?: OperationContext,
) {
  const attempt = () =>
    run(args, ctx).catch((error: unknown) => {
      throw asStoreError(error, dialect.binary);
    });
  // A listing races with another process removing an image it has just listed (`reading image <id>: …
  // image not known`): a fresh listing no longer contains it.
  let result = await attempt().catch((error: unknown) => ({ error }));
  for (let retry = 0; 'error' in result && raceWithRemoval(result.error) && retry < 4; retry++) {
    result = await attempt().catch((error: unknown) => ({ error }));
  }
  if ('error' in result) throw result.error;
  for (const id of brokenImagesWarnedAbout(result.stderr)) {
    ctx?.log?.({
      source: ctx.logSource ?? dialect.name,
      stream: 'info',
      text: `${dialect.name}'s store has a broken image ${id}; remove it with \`${dialect.binary} rmi -f ${id}\``,
      at: Date.now(),
    });
  }
  return result;
}

/**
 * Builds one image: the build process is recorded in the ledger while it runs (a killed run's build is found and
 * stopped later), a failed step's own output goes into the error, and the ID is read back from the image itself.
 */
async function buildWithCli(
  parts: CliEngineParts,
  request: BuildRequest,
  ctx?: OperationContext,
): Promise<{ id: string }> {
  const { runner, dialect, options, env, inspectMany } = parts;
  let entry: ReturnType<NonNullable<CliEngineOptions['ledger']>['record']> | undefined;
  // A failed step's own output (a compiler's error lines) goes into the error, not only podman's verdict.
  const step = new FailedStepOutput();
  const runBuild = (outputDir?: string) =>
    runBuildCommand({
      runner,
      binary: dialect.binary,
      args: buildArgs(dialect, request, options),
      policy: dialect.buildStop,
      options: {
        ...commandOptions(ctx, dialect.name),
        log: step.tap(ctx?.log),
        ...(outputDir === undefined ? {} : { outputDir }),
      },
      ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      ...(options.processTree ? { tree: options.processTree } : {}),
      ...(options.windDownMs === undefined ? {} : { windDownMs: options.windDownMs }),
      onRunning: (build) => {
        if (!options.ledger) return;
        if (build === undefined) {
          if (entry) options.ledger.release(entry);
          return;
        }
        entry = options.ledger.record(buildProcessRecord(dialect, request.ref, build));
      },
    });
  // A podman build must be able to finish its own cleanup (see BuildStopPolicy), also when this process is
  // killed: its output goes to files, because at its next line to a pipe nobody reads it would die of SIGPIPE
  // and leave its buildah working containers, and the images they hold, behind.
  const attempt = () =>
    dialect.buildStop === 'interrupt-steps'
      ? withPrivateDir(privateDirParent(env), 'build-output', options.ledger, runBuild)
      : runBuild();
  await attempt()
    // The layer cache's lookup walks the whole store: an image another process removes meanwhile fails the
    // build before it has done anything. Once more finds the store settled.
    .catch((error: unknown) => {
      if (!isCacheLookupRace(error)) throw error;
      ctx?.log?.({
        source: ctx.logSource ?? dialect.name,
        stream: 'info',
        text: `an image was removed while ${dialect.name} looked for cached layers; building once more`,
        at: Date.now(),
      });
      return attempt();
    })
    .catch((error: unknown) => {
      throw step.explain(error);
    });
  // The build output format differs by engine and builder (buildah, BuildKit, classic); the ID is
  // read back from the image itself, which every engine reports the same way.
  const [image] = await inspectMany([request.ref], ctx);
  if (!image)
    throw new OutputFormatError(
      `${dialect.name} build`,
      `finished but ${request.ref} is not in the image store`,
    );
  return { id: image.id };
}

/** podman's `checking if cached image exists from a previous build: … layer not known` (a concurrent `rmi`). */
function isCacheLookupRace(error: unknown): boolean {
  return (
    error instanceof CommandError &&
    error.stderrTail.some((line) =>
      /checking if cached image exists from a previous build: .*(?:layer|image) not known/.test(line),
    )
  );
}

/** The `resource.tool` of a running build in a persisted ledger (see `createBuildOrphanRemovers`). */
export const BUILD_PROCESS_TOOL = 'build-process';

function withoutCreated(image: InspectedImage): ImageInfo {
  const { createdAt: _createdAt, ...info } = image;
  return info;
}

/** Raised by the docker dialect: plain `docker build` has no bind mounts. */
export function dockerMountUnsupported(): never {
  throw ConfigError.field(
    'goModCache',
    'docker build cannot bind-mount a host directory into RUN steps; use the podman engine, or drop goModCache and use a BuildKit cache mount (RUN --mount=type=cache) in the Dockerfile',
    'image config',
  );
}

/** The ledger's record of a running build: how to stop it now, and (pid, start time) how to find it once orphaned. */
function buildProcessRecord(dialect: EngineDialect, ref: string, build: RunningBuild): LedgerRecord {
  return {
    kind: 'process',
    name: `${dialect.name} build ${ref}`,
    dispose: () => build.stop(new Error('the run is being cleaned up')),
    ...(build.pid === undefined
      ? {}
      : {
          resource: {
            tool: BUILD_PROCESS_TOOL,
            details: {
              pid: String(build.pid),
              ...(build.startTime ? { startTime: build.startTime } : {}),
              engine: dialect.name,
              binary: dialect.binary,
              policy: dialect.buildStop,
            },
          },
        }),
  };
}
