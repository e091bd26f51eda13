import { buildImageForKind } from './build-image.js';
/**
 * The `ImageBuilder` port over {@link buildImageForKind}, for the orchestrator. A call's context
 * (signal, log, log source) takes precedence over the options given here.
 */
export function createImageBuilder(options) {
    return {
        build(config, ctx) {
            return buildImageForKind(config, {
                ...options,
                ...(ctx?.signal ? { signal: ctx.signal } : {}),
                ...(ctx?.log ? { log: ctx.log } : {}),
                ...(ctx?.logSource ? { logSource: ctx.logSource } : {}),
            });
        },
    };
}
