import type { CommandRunner, ContainerEngine } from '@kubernaut-e2e/core';
import type { CliEngineOptions } from './cli-engine.js';
import { createDockerEngine } from './docker-engine.js';
import { createPodmanEngine } from './podman-engine.js';

/** The container engines that run on this machine's CLI (the simulated one is `@kubernaut-e2e/sim`'s). */
export type RealEngineName = 'podman' | 'docker';

/**
 * The engine a runtime names: the one place `'podman'` or `'docker'` becomes an adapter (the setup's toolchain,
 * `down`, `status`, `prune` and orphan cleanup all create theirs here). Options as `createPodmanEngine` and
 * `createDockerEngine` take them.
 */
export function createEngine(
  name: RealEngineName,
  runner: CommandRunner,
  options: { readonly binary?: string } & CliEngineOptions = {},
): ContainerEngine {
  return name === 'docker' ? createDockerEngine(runner, options) : createPodmanEngine(runner, options);
}
