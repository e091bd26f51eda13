import { CommandError, ImageStoreError } from '@kubernaut-e2e/core';
/*
 * What podman prints when its store holds a broken image (recorded with podman 4.3.1, see __fixtures__):
 *
 *   Error: locating item named "manifest" for image with ID "5977e3…" (consider removing the image to resolve
 *   the issue): file does not exist
 *
 * for `images --filter …` and `image inspect`; and, when the broken image does not match the filter, a
 * successful listing with `level=error msg="Image 5977e367fd88 exists in local storage but may be corrupted
 * (remove the image to resolve the issue): …"` on stderr. A store missing a layer says `layer not known`.
 */
const BROKEN = [
    /locating item named "?[\w.-]+"? for image with ID "?([0-9a-f]{12,64})"?/i,
    /Image ([0-9a-f]{12,64}) exists in local storage but may be corrupted/i,
    /image "?([0-9a-f]{12,64})"?[^\n]*\blayer not known/i,
    /\blayer not known\b/i,
];
/** The broken image a line of engine output names, or `null` when the line is not about a broken store. */
export function brokenImageIn(line) {
    for (const pattern of BROKEN) {
        const match = pattern.exec(line);
        if (match)
            return { id: match[1] };
    }
    return null;
}
/**
 * Turns a failed image listing or inspection into an {@link ImageStoreError} when the engine's output says its
 * store holds a broken image; otherwise returns the error unchanged.
 */
export function asStoreError(error, engine) {
    if (!(error instanceof CommandError))
        return error;
    for (const line of error.stderrTail) {
        const broken = brokenImageIn(line);
        if (broken)
            return new ImageStoreError(engine, broken.id, error.argv, error.stderrTail, { cause: error });
    }
    return error;
}
/** Broken images a SUCCESSFUL listing warned about on stderr (podman lists the rest and exits 0). */
export function brokenImagesWarnedAbout(stderr) {
    const ids = new Set();
    for (const line of stderr.split('\n')) {
        const broken = brokenImageIn(line);
        if (broken?.id)
            ids.add(broken.id);
    }
    return [...ids];
}
/**
 * A listing that met an image another process removed meanwhile (podman lists IDs, then reads each one):
 * `Error: reading image "<id>": locating image with ID "<id>": image not known`. Not a broken store —
 * listing again gives a consistent answer.
 */
export function raceWithRemoval(error) {
    return (error instanceof CommandError &&
        error.stderrTail.some((line) => /reading image "?[0-9a-f]{12,64}"?: locating image with ID .*image not known/i.test(line)));
}
