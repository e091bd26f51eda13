import { DockerIgnore } from './dockerignore.js';
/**
 * The part of a build context a build reads, from the source patterns of its Dockerfile
 * (`dockerfileContextSources`). A pattern selects the paths it matches and everything below them, with docker's
 * glob syntax anchored at the context root — the same matching `.dockerignore` uses, so `DockerIgnore` does it.
 */
export class ContextSelection {
    patterns;
    #matcher;
    #patterns;
    constructor(patterns) {
        this.patterns = patterns;
        this.#matcher = new DockerIgnore(patterns.join('\n'));
        this.#patterns = patterns.map((p) => p.split('/'));
    }
    /** True when the build reads `relativePath` (POSIX separators): a pattern matches it or one of its parents. */
    includes(relativePath) {
        return this.#matcher.excludes(relativePath);
    }
    /**
     * True when `relativeDir` or something below it may be read, so a walk must descend into it: it is selected,
     * or it is a leading part of a pattern (`cmd` for `cmd/gateway`, or anything before a `**`).
     */
    mayInclude(relativeDir) {
        if (this.includes(relativeDir))
            return true;
        const dir = relativeDir.split('/');
        return this.#patterns.some((pattern) => {
            for (let i = 0; i < dir.length; i++) {
                const segment = pattern[i];
                if (segment === undefined)
                    return true;
                if (segment === '**')
                    return true;
                if (!segmentMatches(segment, dir[i]))
                    return false;
            }
            return true;
        });
    }
}
const segmentPatterns = new Map();
/** One path segment against one glob segment (`*`, `?`, `[a-z]`, `[!a]`, `\` escapes), as Go's filepath.Match. */
function segmentMatches(glob, name) {
    let regex = segmentPatterns.get(glob);
    if (!regex) {
        let source = '';
        for (let i = 0; i < glob.length; i++) {
            const c = glob[i];
            if (c === '\\' && i + 1 < glob.length)
                source += escapeRegex(glob[++i]);
            else if (c === '*')
                source += '[^/]*';
            else if (c === '?')
                source += '[^/]';
            else if (c === '[') {
                const close = glob.indexOf(']', i + 1);
                if (close < 0) {
                    source += '\\[';
                    continue;
                }
                const body = glob.slice(i + 1, close).replace(/^[!^]/, '^');
                source += `[${body.replace(/\\/g, '\\\\')}]`;
                i = close;
            }
            else
                source += escapeRegex(c);
        }
        regex = new RegExp(`^${source}$`);
        segmentPatterns.set(glob, regex);
    }
    return regex.test(name);
}
function escapeRegex(c) {
    return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
