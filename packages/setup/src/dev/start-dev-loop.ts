import { sep } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import type { DeployComponent } from '@kubernaut-e2e/orchestrator';
import { isBuiltImage } from '@kubernaut-e2e/orchestrator';
import type { InfrastructureHandle } from '../handle.js';
import type { Service } from '../service/definition.js';
import { resolveSetup, setupInfrastructure } from '../setup-infrastructure.js';
import { type CycleToolchain, cycleToolchain } from './cycle-toolchain.js';
import type { CycleTarget } from './dev-cycle.js';
import { DevScheduler } from './dev-scheduler.js';
import {
  DEFAULT_DEBOUNCE_MS,
  type DevLoop,
  type DevLoopEvent,
  type DevLoopOptions,
  type DevLoopResult,
  type FileWatcher,
  type WatchFiles,
} from './types.js';
import { WatchedImage } from './watched-image.js';

/** `startDevLoop` of the package (see `./index.ts`), loaded when the first loop starts. */
export async function startDevLoop(definition: Service, options: DevLoopOptions = {}): Promise<DevLoop> {
  const { debounceMs = DEFAULT_DEBOUNCE_MS, watch, onEvent, ...given } = options;
  const subject = `${definition.name} dev loop`;
  if (!Number.isFinite(debounceMs) || debounceMs < 0) {
    throw ConfigError.field('debounceMs', `expected milliseconds ≥ 0, got ${String(debounceMs)}`, subject);
  }
  // Setup closes the ledger it is given; a caller's toolchain keeps recording into it during cycles, so the loop
  // keeps it open and cleans it up itself (see `cycleToolchain`).
  const { ledger: callerLedger, ...rest } = given;
  const setupOptions = { ...rest, reuseCluster: given.reuseCluster ?? true };
  const resolved = await resolveSetup(definition, setupOptions);
  const { declaration, keep } = resolved;
  if (declaration.images.length === 0) {
    throw ConfigError.field(
      'images',
      `${definition.name} builds no images: there is nothing to watch`,
      subject,
    );
  }
  const env = options.env ?? process.env;
  const emit = (event: DevLoopEvent) => {
    try {
      onEvent?.(event);
    } catch {
      // A broken listener must not stop the loop.
    }
  };

  const images = (
    await Promise.all(
      // The images a pod runs that this run builds: what an edit can change.
      declaration.images
        .filter(isBuiltImage)
        .filter((image) => !image.buildOnly)
        .map((image) => WatchedImage.load(image.id, image.build, resolved.projectRoot, env)),
    )
  ).map((loaded) => loaded.image);
  let scheduler: DevScheduler | undefined;
  let watcherFailure: { error: unknown } | undefined;
  let failLoop: ((error: unknown) => void) | undefined;
  const watchFiles: WatchFiles = watch ?? (await import('./chokidar-watcher.js')).watchWithChokidar;
  const watcher: FileWatcher = await watchFiles({
    roots: outermost(images.flatMap((image) => image.roots)),
    ignored: (path, isDirectory) =>
      !images.some((image) =>
        isDirectory === false ? image.reads(path) : image.reads(path) || image.mayReadBelow(path),
      ),
    onChange: (path) => scheduler?.changed(path),
    onError: (error) => {
      watcherFailure ??= { error };
      failLoop?.(error);
    },
  });

  let handle: InfrastructureHandle;
  let cycles: CycleToolchain;
  try {
    // Hashed once the watcher is ready, so no edit falls between the two; an edit during setup is seen by the
    // watcher and gets a cycle as soon as setup is done (a rebuild the setup's own build may have made needless,
    // never a change missed).
    const hashes = new Map(
      await Promise.all(images.map(async (image) => [image.id, await image.hash()] as const)),
    );
    scheduler = new DevScheduler({ images, hashes, debounceMs, emit });
    // The setup keeps the cluster unless the policy is `never`: the loop, not the setup, decides at the end.
    handle = await setupInfrastructure(definition, setupOptions, {
      ...resolved,
      keep: keep === 'never' ? 'never' : 'always',
    });
  } catch (error) {
    await watcher.close();
    await scheduler?.stop();
    await callerLedger?.cleanup(keep === 'never' ? {} : { keepKinds: ['cluster'] });
    throw error;
  }
  try {
    cycles = await cycleToolchain(handle, resolved, { env, ...(options.log ? { log: options.log } : {}) });
  } catch (error) {
    await watcher.close();
    await scheduler.stop();
    await handle.teardown();
    await callerLedger?.cleanup({ keepKinds: ['image', 'cluster'] });
    throw error;
  }

  const { toolchain } = cycles;
  const target: CycleTarget = {
    toolchain,
    kube: toolchain.kube(handle.kubeconfigPath),
    clusterName: handle.clusterName,
    namespace: declaration.namespace.name,
    components: declaration.components.filter((c): c is DeployComponent => c.kind === 'deploy'),
    refs: { ...handle.images },
    ...(options.log ? { log: options.log } : {}),
    ...(resolved.options.failAfterRestarts === undefined
      ? {}
      : { podWatch: { failAfterRestarts: resolved.options.failAfterRestarts } }),
  };
  const running = scheduler;
  running.start(target);
  emit({ type: 'watching', images: images.map((image) => image.info) });

  let resolveDone!: (result: DevLoopResult) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<DevLoopResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Whoever never awaits `done` must not get an unhandled rejection from a watcher failure.
  done.catch(() => {});
  let stopping = false;
  const stop = (failure?: { error: unknown }): Promise<DevLoopResult> => {
    if (stopping) return done;
    stopping = true;
    void (async () => {
      try {
        await watcher.close().catch(() => {});
        await running.stop();
        // `never`: deletes the cluster (unless it existed before); otherwise only releases its name and ports.
        await handle.teardown();
        await cycles.release();
        await callerLedger?.cleanup({ keepKinds: ['image', 'cluster'] });
        const clusterKept = await toolchain.cluster.exists(handle.clusterName).catch(() => keep !== 'never');
        if (failure) rejectDone(failure.error);
        else resolveDone({ cycles: [...running.cycles], clusterKept });
      } catch (error) {
        rejectDone(error);
      }
    })();
    return done;
  };
  failLoop = (error) => void stop({ error });
  if (watcherFailure) void stop(watcherFailure);
  const signal = options.signal;
  if (signal?.aborted) void stop();
  else signal?.addEventListener('abort', () => void stop(), { once: true });

  return {
    infrastructure: handle,
    get images() {
      return { ...target.refs };
    },
    get cycles() {
      return [...running.cycles];
    },
    idle: () => running.idle(),
    stop: () => stop(),
    done,
    [Symbol.asyncDispose]: async () => {
      await stop().catch(() => {});
    },
  };
}

/** The paths none of the others contains (one watch per tree). */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.filter((p) => !unique.some((other) => other !== p && p.startsWith(`${other}${sep}`)));
}
