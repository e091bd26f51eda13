import { CancelledError, ConfigError } from '@kubernaut-e2e/core';
import { runPreparedBuild } from './build-image.js';
import { prepareBuild } from './prepare-build.js';
/**
 * Builds several images in parallel, at most `concurrency` at a time, and fails fast: the first failure
 * aborts every other build (their processes are killed) and is the error thrown — it names the image
 * that failed. Results keep the order of `configs`. All configs are validated before anything runs.
 */
export async function buildImagesForKind(configs, options) {
    const concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw ConfigError.field('concurrency', `must be a whole number ≥ 1; got ${String(concurrency)}`, 'build options');
    }
    if (!Array.isArray(configs))
        throw ConfigError.field('configs', 'must be an array of image configs', 'build options');
    // Validate every config first, collecting all problems, so bad input never half-runs a batch.
    const prepared = [];
    const issues = [];
    configs.forEach((config, index) => {
        try {
            prepared.push(prepareBuild(config, options));
        }
        catch (error) {
            if (!(error instanceof ConfigError))
                throw error;
            for (const issue of error.issues)
                issues.push({
                    path: `configs[${index}]${issue.path ? `.${issue.path}` : ''}`,
                    message: issue.message,
                });
        }
    });
    if (issues.length)
        throw new ConfigError(issues, { subject: 'image configs' });
    const controller = new AbortController();
    const onParentAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted)
        onParentAbort();
    options.signal?.addEventListener('abort', onParentAbort, { once: true });
    const results = new Array(prepared.length);
    let firstError;
    let next = 0;
    const worker = async () => {
        while (next < prepared.length && !controller.signal.aborted) {
            const index = next++;
            try {
                results[index] = await runPreparedBuild(prepared[index], { ...options, signal: controller.signal });
            }
            catch (error) {
                if (firstError === undefined) {
                    firstError = error;
                    controller.abort(error);
                }
            }
        }
    };
    try {
        // Wait for every worker, so no build process outlives this call.
        await Promise.all(Array.from({ length: Math.min(concurrency, prepared.length) }, worker));
    }
    finally {
        options.signal?.removeEventListener('abort', onParentAbort);
    }
    if (firstError !== undefined)
        throw firstError;
    if (controller.signal.aborted)
        throw new CancelledError('building images was cancelled', { cause: controller.signal.reason });
    return results;
}
