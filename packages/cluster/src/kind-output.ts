import { normalizeImageRef } from '@kubernaut-e2e/core';
import { z } from 'zod';

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

const crictlImagesSchema = z.object({
  images: z
    .array(
      z.object({
        id: z.string(),
        repoTags: z.array(z.string()).nullish(),
        repoDigests: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

/**
 * Image references from `crictl images -o json` (protobuf JSON: `{"images":[{"id","repoTags",
 * "repoDigests","size":"<int64 as string>","uid":null,"username","spec","pinned"}]}`). Tags are
 * what pod specs use; an image imported without a tag is reported by its digest reference instead.
 * Each reference is normalised (`normalizeImageRef`) and the list is sorted and de-duplicated.
 */
export function parseCrictlImages(json: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new SyntaxError(`crictl images -o json did not print JSON: ${(error as Error).message}`);
  }
  const parsed = crictlImagesSchema.safeParse(data);
  if (!parsed.success) {
    throw new SyntaxError(
      `crictl images -o json printed an unexpected shape: ${parsed.error.issues[0]?.message}`,
    );
  }
  const refs = new Set<string>();
  for (const image of parsed.data.images ?? []) {
    const tags = image.repoTags ?? [];
    const names = tags.length > 0 ? tags : (image.repoDigests ?? []);
    for (const name of names) refs.add(normalizeImageRef(name));
  }
  return [...refs].sort();
}

/**
 * The fully-qualified form containerd stores (docker's reference normalisation), so `nginx` and
 * `docker.io/library/nginx:latest` compare equal. One implementation, in core, for every package.
 */
export { normalizeImageRef };
