import type { CommandRunner, ContainerEngine } from '@kubernaut-e2e/core';
import { createCliEngine, type EngineDialect } from './cli-engine.js';
import { parsePodmanImageList } from './inspect-parser.js';

/** Podman's command-line dialect. */
export const podmanDialect = (binary = 'podman'): EngineDialect => ({
  name: 'podman',
  binary,
  // `-m` keeps every name in one archive; docker-archive is the format `kind load image-archive` reads.
  saveArgs: (refs, archivePath) => ['save', '-m', '--format', 'docker-archive', '-o', archivePath, ...refs],
  mountArgs: ({ source, target }) => ['--volume', `${source}:${target}:ro`],
  missingImage: /image not known|no such image/i,
  listByLabel: {
    args: (label, value) => ['images', '--filter', `label=${label}=${value}`, '--format', 'json'],
    parse: parsePodmanImageList,
  },
});

/**
 * The podman engine (the default). Podman names a local image `localhost/<name>:<tag>`, and kind's
 * containerd keeps that name as-is when it imports the archive — so pod specs must use it too.
 */
export function createPodmanEngine(
  runner: CommandRunner,
  options: { binary?: string } = {},
): ContainerEngine {
  return createCliEngine(runner, podmanDialect(options.binary));
}
