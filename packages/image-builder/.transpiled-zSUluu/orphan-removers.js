import { buildResultExists, removeBuildResult } from './build-result.js';
import { stopOrphanedBuild } from './engines/build-process.js';
import { BUILD_PROCESS_TOOL } from './engines/cli-engine.js';
import { procTree } from './engines/proc-tree.js';
function buildOf(entry) {
    const details = entry.resource?.details;
    if (!details?.runId || !details.contentHash)
        return undefined;
    return {
        ref: entry.name,
        runId: details.runId,
        contentHash: details.contentHash,
        intermediates: details.intermediates ? details.intermediates.split(',') : [],
    };
}
function processOf(entry) {
    const details = entry.resource?.details;
    const pid = Number(details?.pid);
    if (!Number.isInteger(pid) || pid <= 0)
        return undefined;
    const policy = details?.policy === 'terminate-client' ? 'terminate-client' : 'interrupt-steps';
    return { pid, policy, ...(details?.startTime ? { startTime: details.startTime } : {}) };
}
/**
 * The removers `cleanupOrphanedRun` needs for what the image builder records, for one engine: the images
 * (`resource.tool` = the engine's name: a build's result with everything it committed, or a tag) and the
 * builds still running (`build-process`: stopped the same way a live run stops them, before their images go).
 *
 * ```ts
 * const engine = createPodmanEngine(createCommandRunner());
 * await cleanupOrphanedRun(orphan, { removers: { ...createImageOrphanRemovers(engine), kind: … } });
 * ```
 */
export function createImageOrphanRemovers(engine, options = {}) {
    const tree = options.processTree ?? procTree;
    return {
        [engine.name]: {
            async remove(entry) {
                const build = buildOf(entry);
                if (build)
                    await removeBuildResult(engine, build);
                else
                    await engine.removeImage(entry.name);
            },
            async exists(entry) {
                const build = buildOf(entry);
                if (build)
                    return buildResultExists(engine, build);
                return (await engine.inspect(entry.name)) !== undefined;
            },
        },
        [BUILD_PROCESS_TOOL]: {
            async remove(entry) {
                const build = processOf(entry);
                if (!build)
                    throw new Error('the run did not record the build process id');
                await stopOrphanedBuild(build, tree, options.windDownMs);
            },
            async exists(entry) {
                const build = processOf(entry);
                if (!build)
                    return false;
                return (tree.alive(build.pid) &&
                    (build.startTime === undefined || tree.startTime(build.pid) === build.startTime));
            },
        },
    };
}
