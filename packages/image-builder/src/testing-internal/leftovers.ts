import type { CommandRunner, RunOptions } from '@kubernaut-e2e/core';
import { raceWithRemoval } from '../engines/store-errors.js';

/*
 * What a test's builds left in an engine, looked at the way a user would (`ps -a --external`, `images -a`),
 * filtered to what THIS test created: other builds may run on the same machine, and their containers and
 * images are none of the test's business.
 */

export interface Leftovers {
  /** Build containers (podman: buildah working containers) from the test's base image or its builds' images. */
  readonly containers: readonly string[];
  /** Images carrying the test run's label, tagged or not (`images -a`: intermediates too). */
  readonly images: readonly string[];
}

interface PodmanContainer {
  Id: string;
  Names?: string[] | null;
  ImageID?: string;
  Image?: string;
}

interface PodmanImage {
  Id: string;
}

/** `podman ps -a --external` and `podman images -a`, narrowed to the test's base image and run label. */
/** Runs a podman listing, again when it raced with another process removing an image it had listed. */
async function list(runner: CommandRunner, args: string[], options: RunOptions): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await runner.run('podman', args, options)).stdout;
    } catch (error) {
      if (attempt >= 5 || !raceWithRemoval(error)) throw error;
    }
  }
}

export async function podmanLeftovers(
  runner: CommandRunner,
  test: { readonly baseId: string; readonly runLabel: string },
  options: RunOptions = {},
): Promise<Leftovers> {
  const images = JSON.parse(
    (await list(
      runner,
      ['images', '-a', '--filter', `label=${test.runLabel}`, '--format', 'json'],
      options,
    )) || '[]',
  ) as PodmanImage[];
  const ours = new Set([test.baseId, ...images.map((i) => i.Id)].map(bare));
  const containers = JSON.parse(
    (await list(runner, ['ps', '-a', '--external', '--format', 'json'], options)) || '[]',
  ) as PodmanContainer[];
  return {
    containers: containers
      .filter((c) => c.ImageID !== undefined && c.ImageID !== '' && ours.has(bare(c.ImageID)))
      .map((c) => `${c.Id.slice(0, 12)} ${c.Names?.[0] ?? ''}`),
    images: images.map((i) => bare(i.Id).slice(0, 12)),
  };
}

/**
 * Everything in a PRIVATE dockerd except the test's base image: every container (`ps -a`) and every image,
 * intermediates included (`images -a`). Nothing else uses that daemon, so all of it is the test's.
 */
export async function dockerLeftovers(
  runner: CommandRunner,
  test: { readonly baseId: string },
  options: RunOptions,
): Promise<Leftovers> {
  const lines = async (args: string[]) =>
    (await runner.run('docker', args, options)).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const containers = await lines(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Image}} {{.Names}}']);
  const images = await lines(['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
  return {
    containers,
    images: images.filter((line) => bare(line.split(' ')[0]!) !== bare(test.baseId)),
  };
}

function bare(id: string): string {
  return id.replace(/^sha256:/, '');
}

/** Whether `ref` is a tag in podman's store (`podman image exists`: exit 0 yes, 1 no). */
export async function podmanHasTag(runner: CommandRunner, ref: string): Promise<boolean> {
  return runner.run('podman', ['image', 'exists', ref]).then(
    () => true,
    () => false,
  );
}
