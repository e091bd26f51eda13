import { type CommandRunner, ConfigError, type ContainerEngine } from '@kubernaut-e2e/core';
import {
  type CliEngineOptions,
  createCliEngine,
  dockerMountUnsupported,
  type EngineDialect,
} from './cli-engine.js';
import { dockerPush } from './docker-api/docker-push.js';

/** Docker's command-line dialect. */
export const dockerDialect = (binary = 'docker'): EngineDialect => ({
  name: 'docker',
  binary,
  // docker save always writes a docker-archive and keeps every name given.
  saveArgs: (refs, archivePath) => ['save', '-o', archivePath, ...refs],
  mountArgs: () => dockerMountUnsupported(),
  missingImage: /no such image/i,
  // The CLI is a client: stopping it makes the daemon cancel the build (and, with --force-rm, remove its container).
  buildStop: 'terminate-client',
});

/**
 * The docker engine. Docker names `kubernaut/x:tag` in its familiar short form; containerd (and so a kind
 * node) stores it as `docker.io/kubernaut/x:tag`, which is also what the kubelet expands the pod spec's
 * `kubernaut/x:tag` to — so the short form works in pod specs.
 * Registry mode's pushes to a registry on this machine go through the daemon's Engine API (see `dockerPush`).
 * `isolation` is refused (`ConfigError`): `docker build --isolation` only selects Windows container isolation,
 * and a Linux daemon rejects any value but `default`. `BUILDAH_ISOLATION` is podman's and is never read here.
 */
export function createDockerEngine(
  runner: CommandRunner,
  options: { readonly binary?: string } & CliEngineOptions = {},
): ContainerEngine {
  const { binary, ...engineOptions } = options;
  if (engineOptions.isolation !== undefined) {
    throw ConfigError.field(
      'isolation',
      `"${engineOptions.isolation}" is a podman build isolation; docker on Linux has none to choose (use createPodmanEngine)`,
      'docker engine options',
    );
  }
  const dialect = dockerDialect(binary);
  const cli = createCliEngine(runner, dialect, engineOptions);
  return { ...cli, ...dockerPush(runner, dialect.binary, cli) };
}
