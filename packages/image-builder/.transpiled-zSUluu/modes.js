import { ConfigError, imageRefSchema } from '@kubernaut-e2e/core';
/** Environment variables that switch the builder away from building (the seed's CI and registry modes). */
export const ENV_CI_ARTIFACT_TAG = 'KUBERNAUT_CI_ARTIFACT_TAG';
export const ENV_IMAGE_REGISTRY = 'IMAGE_REGISTRY';
export const ENV_IMAGE_TAG = 'IMAGE_TAG';
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** Reads the mode from the environment, validating the values before anything runs. */
export function buildModeFromEnv(env) {
    const nonEmpty = (name) => {
        const value = env[name]?.trim();
        return value ? value : undefined;
    };
    const registry = nonEmpty(ENV_IMAGE_REGISTRY);
    const registryTag = nonEmpty(ENV_IMAGE_TAG);
    const ciTag = nonEmpty(ENV_CI_ARTIFACT_TAG);
    if (registry !== undefined || registryTag !== undefined) {
        if (registry === undefined) {
            throw ConfigError.field(ENV_IMAGE_REGISTRY, `${ENV_IMAGE_TAG} is set but ${ENV_IMAGE_REGISTRY} is not: set both (registry mode) or neither`, 'environment');
        }
        if (registryTag === undefined) {
            throw ConfigError.field(ENV_IMAGE_TAG, `${ENV_IMAGE_REGISTRY} is set but ${ENV_IMAGE_TAG} is not: set both (registry mode) or neither`, 'environment');
        }
        const host = registry.replace(/\/+$/, '');
        if (!REGISTRY.test(host)) {
            throw ConfigError.field(ENV_IMAGE_REGISTRY, `must be a registry host[:port][/path] in lower case, e.g. quay.io/kubernaut; got ${JSON.stringify(registry)}`, 'environment');
        }
        if (!TAG.test(registryTag)) {
            throw ConfigError.field(ENV_IMAGE_TAG, `must be an image tag (letters, digits, _ . -, max 128); got ${JSON.stringify(registryTag)}`, 'environment');
        }
        return { kind: 'registry', registry: host, tag: registryTag };
    }
    if (ciTag !== undefined) {
        if (!TAG.test(ciTag)) {
            throw ConfigError.field(ENV_CI_ARTIFACT_TAG, `must be an image tag (letters, digits, _ . -, max 128); got ${JSON.stringify(ciTag)}`, 'environment');
        }
        return { kind: 'ci-artifact', tag: ciTag };
    }
    return { kind: 'build' };
}
/** `<registry>/<imageName>:<tag>`, checked against the OCI reference grammar. */
export function registryRef(registry, imageName, tag) {
    const ref = `${registry}/${imageName}:${tag}`;
    const parsed = imageRefSchema.safeParse(ref);
    if (!parsed.success) {
        throw ConfigError.field(ENV_IMAGE_REGISTRY, `${ref} is not a valid image reference`, 'environment');
    }
    return ref;
}
