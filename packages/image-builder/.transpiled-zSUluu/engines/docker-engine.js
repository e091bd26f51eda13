import { createCliEngine, dockerMountUnsupported, } from './cli-engine.js';
/** Docker's command-line dialect. */
export const dockerDialect = (binary = 'docker') => ({
    name: 'docker',
    binary,
    // docker save always writes a docker-archive and keeps every name given.
    saveArgs: (refs, archivePath) => ['save', '-o', archivePath, ...refs],
    mountArgs: () => dockerMountUnsupported(),
    missingImage: /no such image/i,
    // The CLI is a client: stopping it makes the daemon cancel the build (and, with --force-rm, remove its container).
    buildStop: 'terminate-client',
});
/**
 * The docker engine. Docker names `kubernaut/x:tag` in its familiar short form; containerd (and so a kind
 * node) stores it as `docker.io/kubernaut/x:tag`, which is also what the kubelet expands the pod spec's
 * `kubernaut/x:tag` to — so the short form works in pod specs.
 */
export function createDockerEngine(runner, options = {}) {
    const { binary, ...engineOptions } = options;
    return createCliEngine(runner, dockerDialect(binary), engineOptions);
}
