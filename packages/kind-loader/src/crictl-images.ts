import { z } from 'zod';

/** One image as a kind node's CRI (`crictl images -o json`) lists it. */
export interface NodeImage {
  /** The config digest, `sha256:…` — the same value podman and docker report as the image ID. */
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
}

// crictl prints the CRI ListImagesResponse as protobuf JSON: camelCase keys, `size` as a decimal
// string (uint64), `uid`/`username`/`spec`/`pinned` depending on the version.
const crictlImagesSchema = z.looseObject({
  images: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        repoTags: z.array(z.string()).nullish(),
        repoDigests: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

/** Parses `crictl images -o json`. Throws with the start of the output when it is not that format. */
export function parseCrictlImages(stdout: string): NodeImage[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    throw new Error(`could not parse \`crictl images -o json\` output: ${stdout.slice(0, 200)}`, { cause });
  }
  const parsed = crictlImagesSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`unexpected \`crictl images -o json\` output: ${parsed.error.message}`);
  return (parsed.data.images ?? []).map((image) => ({
    id: image.id,
    repoTags: image.repoTags ?? [],
    repoDigests: image.repoDigests ?? [],
  }));
}
