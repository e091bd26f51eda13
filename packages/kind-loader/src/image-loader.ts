import { heldByEngine, type ImageLoader } from '@kubernaut-e2e/core';
import { loadImagesToKind } from './load-images.js';
import type { KindLoadOptions } from './load-options.js';

/**
 * The `ImageLoader` port over {@link loadImagesToKind}, for the orchestrator: every call is one archive
 * and one `kind load`. A call's context (signal, log, log source) takes precedence over these options.
 */
export function createKindImageLoader(options: KindLoadOptions): ImageLoader {
  return {
    load(refs, clusterName, ctx) {
      return loadImagesToKind(refs, clusterName, {
        ...options,
        ...(ctx?.signal ? { signal: ctx.signal } : {}),
        ...(ctx?.log ? { log: ctx.log } : {}),
        ...(ctx?.logSource ? { logSource: ctx.logSource } : {}),
      });
    },
    held: (refs, ctx) => heldByEngine(options.engine, refs, ctx),
  };
}
