import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevLoopEvent, FileWatchRequest, WatchFiles } from '../dev/types.js';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { defineService } from '../service/define-service.js';

// What the dev loop's tests share (testing-internal/ is left out of the build).

/**
 * A service with two images built from one shared context (the fixture project's root, as kubernaut builds every
 * image): `api` (COPY cmd/gateway/) runs in two deployments, `store` (COPY cmd/datastorage/) in one.
 */
export const shopService = defineService({
  name: 'shop',
  hostPorts: { api: 19180, store: 19181 },
  images: {
    api: { dockerfile: 'docker/gateway.Dockerfile' },
    store: { dockerfile: 'docker/data-storage.Dockerfile' },
  },
  deployments: [
    {
      id: 'store',
      image: 'store',
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'store', nodePort: 30181 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
    {
      id: 'api',
      image: 'api',
      dependsOn: ['store'],
      ports: [{ name: 'http', port: 8080 }],
      publish: { port: 'http', hostPort: 'api', nodePort: 30180 },
      probes: { readiness: { path: '/readyz', port: 'http' } },
    },
    { id: 'api-worker', image: 'api', dependsOn: ['store'], ports: [{ name: 'metrics', port: 9090 }] },
  ],
});

/** A copy of the fixture project in a temp directory, to edit. */
export function copyFixtureProject(): {
  root: string;
  edit: (path: string, content: string) => string;
  remove: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'kubernaut-dev-test-'));
  cpSync(FIXTURE_PROJECT_ROOT, root, { recursive: true });
  return {
    root,
    // Synchronous on purpose: on the simulated clock no virtual time may pass while the file is written.
    edit: (path, content) => {
      const absolute = join(root, path);
      writeFileSync(absolute, content);
      return absolute;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A watcher whose changes the test reports itself (`emit`), and which remembers what it was asked to watch. */
export function injectedWatcher(): {
  watch: WatchFiles;
  emit: (path: string) => void;
  readonly request: FileWatchRequest | undefined;
  readonly closed: boolean;
} {
  let request: FileWatchRequest | undefined;
  let closed = false;
  return {
    watch: async (r) => {
      request = r;
      return {
        close: async () => {
          closed = true;
        },
      };
    },
    emit: (path) => {
      if (!closed) request?.onChange(path);
    },
    get request() {
      return request;
    },
    get closed() {
      return closed;
    },
  };
}

/** Collects a loop's events and waits for the one a test expects. */
export function eventLog(): {
  onEvent: (event: DevLoopEvent) => void;
  readonly events: DevLoopEvent[];
  next: <T extends DevLoopEvent['type']>(type: T) => Promise<Extract<DevLoopEvent, { type: T }>>;
} {
  const events: DevLoopEvent[] = [];
  const waiters: { type: string; resolve: (event: DevLoopEvent) => void }[] = [];
  return {
    events,
    onEvent: (event) => {
      events.push(event);
      const index = waiters.findIndex((w) => w.type === event.type);
      if (index >= 0) waiters.splice(index, 1)[0]!.resolve(event);
    },
    next: (type) =>
      new Promise((resolve) => waiters.push({ type, resolve: resolve as (event: DevLoopEvent) => void })),
  };
}
