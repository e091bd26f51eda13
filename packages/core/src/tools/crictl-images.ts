import { z } from 'zod';
import { OutputFormatError } from '../errors/simple-errors.js';

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

const SOURCE = '`crictl images -o json` output';

/**
 * Parses `crictl images -o json` (protobuf JSON: `{"images":[{"id","repoTags","repoDigests","size":"<int64 as
 * string>","uid":null,"username","spec","pinned"}]}`). Anything else is an `OutputFormatError` with the start of it.
 */
export function parseCrictlImages(stdout: string): NodeImage[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    throw new OutputFormatError(SOURCE, 'is not JSON', stdout, { cause });
  }
  const parsed = crictlImagesSchema.safeParse(json);
  if (!parsed.success)
    throw new OutputFormatError(
      SOURCE,
      `has an unexpected shape (${parsed.error.issues[0]?.message})`,
      stdout,
    );
  return (parsed.data.images ?? []).map((image) => ({
    id: image.id,
    repoTags: image.repoTags ?? [],
    repoDigests: image.repoDigests ?? [],
  }));
}
