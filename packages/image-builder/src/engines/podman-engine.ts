import type { CommandRunner, ContainerEngine } from '@kubernaut-e2e/core';
import { type CliEngineOptions, createCliEngine, type EngineDialect } from './cli-engine.js';
import { parsePodmanImageList } from './inspect-parser.js';
import { isLoopbackRegistry } from './loopback-registry.js';

/** Podman's command-line dialect. */
export const podmanDialect = (binary = 'podman'): EngineDialect => ({
  name: 'podman',
  binary,
  // `-m` keeps every name in one archive; docker-archive is the format `kind load image-archive` reads.
  saveArgs: (refs, archivePath) => ['save', '-m', '--format', 'docker-archive', '-o', archivePath, ...refs],
  // kind's local registry serves plain HTTP on loopback. docker trusts 127.0.0.0/8 without TLS by default;
  // podman insists on HTTPS unless told, so a push to a loopback registry turns verification off (only there).
  pushArgs: (ref) => (isLoopbackRegistry(ref) ? ['push', '--tls-verify=false', ref] : ['push', ref]),
  // One process instead of tag + push + untag: what registry mode runs for every changed image.
  pushAsArgs: (source, target) =>
    isLoopbackRegistry(target) ? ['push', '--tls-verify=false', source, target] : ['push', source, target],
  mountArgs: ({ source, target }) => ['--volume', `${source}:${target}:ro`],
  missingImage: /image not known|no such image/i,
  // Killing podman mid-commit breaks its store; stopping the RUN step lets it fail and clean up by itself.
  buildStop: 'interrupt-steps',
  // A save or push stopped mid-copy would leave a layer-sized file in $TMPDIR (containers/image's copy of it).
  layerCopiesInTmpdir: true,
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
  options: { readonly binary?: string } & CliEngineOptions = {},
): ContainerEngine {
  const { binary, env = process.env, ...engineOptions } = options;
  const isolation = engineOptions.isolation ?? (env.BUILDAH_ISOLATION || undefined);
  return createCliEngine(runner, podmanDialect(binary), {
    ...engineOptions,
    env,
    ...(isolation ? { isolation } : {}),
  });
}
