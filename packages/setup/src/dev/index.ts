import type { Service } from '../service/definition.js';
import type { DevLoop, DevLoopOptions } from './types.js';

export type {
  DevCycleReport,
  DevLoop,
  DevLoopEvent,
  DevLoopOptions,
  DevLoopResult,
  DevPhase,
  FileWatcher,
  FileWatchRequest,
  WatchedImageInfo,
  WatchFiles,
} from './types.js';
export { DEFAULT_DEBOUNCE_MS } from './types.js';

/**
 * The inner loop on a kept cluster. Sets the service's infrastructure up (reusing its cluster when one of that name
 * is running), then watches what each image's build reads (its Dockerfile, and the context files its COPY/ADD
 * instructions take that `.dockerignore` leaves in). A burst of edits becomes one cycle: rebuild the images whose
 * content hash changed, load them (or push them, in registry mode), re-apply the components that run them and wait
 * until they are ready; each cycle's report carries the time from the first edit to ready. Two cycles never work
 * on the same image at once: edits during a cycle queue the next one.
 *
 * Stopping (`stop()`, the `signal`, `await using`) applies the keep policy to the cluster: `never` deletes it
 * (unless it existed before the loop), `on-failure` and `always` keep it for the next `dev` or test run.
 * Bad options raise `ConfigError` before anything runs; a failed setup rejects as `setupInfrastructure` does.
 * With a `toolchain` of your own, the `ledger` it records into stays open while the loop runs and is cleaned up
 * when it stops (the images and the cluster are kept out of that: the keep policy decides the cluster).
 *
 * The loop's modules (the image builder's hashing, the file watcher) load on the first call, not with the package.
 */
export async function startDevLoop(definition: Service, options: DevLoopOptions = {}): Promise<DevLoop> {
  return (await import('./start-dev-loop.js')).startDevLoop(definition, options);
}
