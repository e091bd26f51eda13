import { normalizeImageRef } from '@kubernaut-e2e/core';
import type { NodeImage } from '@kubernaut-e2e/core/internal';

/**
 * Cluster names from `kind get clusters`. kind prints one name per line on stdout; with no clusters it
 * prints `No kind clusters found.` through its logger, i.e. on stderr (next to provider warnings such
 * as `enabling experimental podman provider`), and still exits 0. Only stdout is parsed; the message
 * and the warnings are skipped there too, in case a wrapper merged the two streams.
 */
export function parseKindClusters(stdout: string): string[] {
  const names = new Set<string>();
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line === '' || /^No kind clusters found\.?$/i.test(line)) continue;
    // Provider warnings only ever appear on stderr, but a merged stream must not turn them into names.
    if (/\s/.test(line)) continue;
    names.add(line);
  }
  return [...names];
}

/**
 * The references a kind node holds, from its `crictl images -o json` (core's `parseCrictlImages`). Tags are what pod
 * specs use; an image imported without a tag is named by its digest reference instead. Each reference is normalised
 * (`normalizeImageRef`) and the list is sorted and de-duplicated.
 */
export function nodeImageRefs(images: readonly NodeImage[]): string[] {
  const refs = new Set<string>();
  for (const image of images) {
    const names = image.repoTags.length > 0 ? image.repoTags : image.repoDigests;
    for (const name of names) refs.add(normalizeImageRef(name));
  }
  return [...refs].sort();
}

/**
 * The fully-qualified form containerd stores (docker's reference normalisation), so `nginx` and
 * `docker.io/library/nginx:latest` compare equal. One implementation, in core, for every package.
 */
export { normalizeImageRef };
