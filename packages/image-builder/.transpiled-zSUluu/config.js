import { resolve } from 'node:path';
import { imageNameSchema, imageTagSchema, kubeNameSchema, parseInput, pathInsideRoot, } from '@kubernaut-e2e/core';
import { z } from 'zod';
/** Fifteen minutes: the seed's builds take 90–120 s, a cold Go module download can take far longer. */
export const DEFAULT_BUILD_TIMEOUT_MS = 15 * 60 * 1000;
/** Build-argument names follow the shell variable grammar (what `ARG` accepts). */
const buildArgsSchema = z.record(z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build-arg names are letters, digits and _ (not starting with a digit)'), z.string());
/**
 * The seed's `E2EImageConfig` (camelCase) as a zod schema: grammar and defaults only. Paths are checked
 * against the project root by {@link parseImageConfig}, which needs the root to do so.
 */
export const imageConfigSchema = z.object({
    serviceName: kubeNameSchema,
    imageName: imageNameSchema,
    dockerfilePath: z.string().min(1, 'must name the Dockerfile, relative to the project root'),
    buildContextPath: z.string().optional(),
    enableCoverage: z.boolean().optional(),
    buildArgs: buildArgsSchema.default({}),
    consumer: kubeNameSchema.optional(),
    tag: imageTagSchema.optional(),
    goModCache: z.string().min(1).optional(),
    timeoutMs: z
        .number()
        .int()
        .positive()
        .max(24 * 60 * 60 * 1000)
        .default(DEFAULT_BUILD_TIMEOUT_MS),
});
/**
 * Validates one image config against the project root before any command runs. Raises `ConfigError`
 * naming each bad field (`dockerfilePath`, `imageName`, …) and what is allowed.
 */
export function parseImageConfig(config, projectRoot, env = process.env, subject = 'image config') {
    const root = resolve(projectRoot);
    const schema = imageConfigSchema.extend({
        dockerfilePath: pathInsideRoot(root),
        buildContextPath: pathInsideRoot(root).optional(),
    });
    const parsed = parseInput(schema, config, subject);
    const goModCache = parsed.goModCache === undefined ? undefined : resolve(root, parsed.goModCache);
    return {
        serviceName: parsed.serviceName,
        imageName: parsed.imageName,
        dockerfile: resolve(root, parsed.dockerfilePath),
        context: resolve(root, parsed.buildContextPath ?? '.'),
        enableCoverage: parsed.enableCoverage ?? env.E2E_COVERAGE === 'true',
        buildArgs: parsed.buildArgs,
        consumer: parsed.consumer ?? parsed.serviceName,
        tag: parsed.tag,
        goModCache,
        timeoutMs: parsed.timeoutMs,
    };
}
