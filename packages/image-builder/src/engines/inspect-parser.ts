import { type ImageInfo, OutputFormatError } from '@kubernaut-e2e/core';
import { z } from 'zod';

/**
 * The fields we read from `podman image inspect` and `docker image inspect`. Both print a JSON array;
 * podman's `Id` is bare hex and it repeats the labels at top level, docker's `Id` is `sha256:…` and
 * labels live only in `Config.Labels` (which may be `null` or absent).
 */
const labelsSchema = z.record(z.string(), z.string()).nullish();
const inspectEntrySchema = z.looseObject({
  Id: z.string().min(1),
  RepoTags: z.array(z.string()).nullish(),
  Labels: labelsSchema,
  Config: z.looseObject({ Labels: labelsSchema }).nullish(),
  Size: z.number().nullish(),
  Created: z.string().nullish(),
});
const inspectOutputSchema = z.array(inspectEntrySchema);

/** One inspected image, with the creation time kept for newest-first ordering. */
export interface InspectedImage extends ImageInfo {
  readonly createdAt: number;
}

/** Normalises an image ID to `sha256:<64 hex>` whichever engine printed it. */
export function normaliseImageId(id: string): string {
  const trimmed = id.trim();
  return trimmed.includes(':') ? trimmed : `sha256:${trimmed}`;
}

/** Parses `<engine> image inspect <ref…>` output. Throws with the engine's text when it is not what we expect. */
export function parseImageInspect(stdout: string): InspectedImage[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    throw new OutputFormatError('image inspect output', 'is not JSON', stdout, { cause });
  }
  const parsed = inspectOutputSchema.safeParse(json);
  if (!parsed.success) {
    throw new OutputFormatError('image inspect output', `is not what was expected: ${parsed.error.message}`);
  }
  return parsed.data.map((entry) => {
    const labels = { ...(entry.Config?.Labels ?? {}), ...(entry.Labels ?? {}) };
    const created = entry.Created ? Date.parse(entry.Created) : Number.NaN;
    return {
      id: normaliseImageId(entry.Id),
      refs: entry.RepoTags ?? [],
      labels,
      ...(typeof entry.Size === 'number' ? { sizeBytes: entry.Size } : {}),
      createdAt: Number.isNaN(created) ? 0 : created,
    };
  });
}

const podmanListSchema = z.array(
  z.looseObject({
    Id: z.string().min(1),
    Names: z.array(z.string()).nullish(),
    Labels: labelsSchema,
    Size: z.number().nullish(),
    Created: z.number().nullish(),
  }),
);

/**
 * Parses `podman images --format json`. Podman lists an image once per tag (same `Id`, every name in
 * `Names`), so entries are merged by ID; `Created` is in Unix seconds.
 */
export function parsePodmanImageList(stdout: string): InspectedImage[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (cause) {
    throw new OutputFormatError('`podman images` output', 'is not JSON', stdout, { cause });
  }
  const parsed = podmanListSchema.safeParse(json);
  if (!parsed.success)
    throw new OutputFormatError(
      '`podman images` output',
      `is not what was expected: ${parsed.error.message}`,
    );
  const byId = new Map<string, InspectedImage>();
  for (const entry of parsed.data) {
    const id = normaliseImageId(entry.Id);
    const known = byId.get(id);
    const refs = [...new Set([...(known?.refs ?? []), ...(entry.Names ?? [])])];
    byId.set(id, {
      id,
      refs,
      labels: entry.Labels ?? {},
      ...(typeof entry.Size === 'number' ? { sizeBytes: entry.Size } : {}),
      createdAt: (entry.Created ?? 0) * 1000,
    });
  }
  return [...byId.values()];
}
