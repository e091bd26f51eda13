import { readFile } from 'node:fs/promises';
import { parseImageConfig } from '../config.js';
import { effectiveBuildArgs } from '../prepare-build.js';
import { hashBuildInputs } from './context-hash.js';
import { ContextSelection } from './context-selection.js';
import { dockerfileContextSources } from './dockerfile-sources.js';
/**
 * Content hash of what an image's build reads: the Dockerfile, build arguments, coverage, and only the context
 * files its COPY/ADD instructions take (honouring `.dockerignore`). Two images built from one shared context
 * (kubernaut builds every image from the repository root) get different hashes when only one's files change.
 * When the Dockerfile reads the whole context (`COPY . .`) or cannot be read for certain, this is exactly the
 * hash `buildImageForKind` labels the image with. Throws `ConfigError` for a config it would refuse.
 */
export async function hashImageSources(config, options) {
    const resolved = parseImageConfig(config, options.projectRoot, options.env ?? process.env);
    const buildArgs = effectiveBuildArgs(resolved, options.hostArch ?? process.arch);
    const sources = dockerfileContextSources(await readFile(resolved.dockerfile, 'utf8'), buildArgs);
    const hash = await hashBuildInputs({
        dockerfile: resolved.dockerfile,
        context: resolved.context,
        buildArgs,
        enableCoverage: resolved.enableCoverage,
        ...(sources === undefined ? {} : { select: new ContextSelection(sources) }),
    });
    return { ...hash, dockerfile: resolved.dockerfile, context: resolved.context, sources, buildArgs };
}
