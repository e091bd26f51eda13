import ignore from 'ignore';
/**
 * `.dockerignore` matching with docker's semantics (moby's `patternmatcher`), built on the `ignore`
 * package's glob matching:
 * - every pattern is anchored at the context root (`*.go` matches `main.go`, not `cmd/main.go`);
 * - a pattern excludes a path when it matches the path or any parent directory;
 * - the LAST matching pattern wins, so `!dir/keep` re-includes a file inside an excluded `dir`
 *   (gitignore forbids that; docker allows it — getting it wrong would hash fewer files than docker
 *   sends and serve a stale cached image).
 */
export class DockerIgnore {
    rules;
    constructor(text) {
        const rules = [];
        for (const raw of text.split(/\r?\n/)) {
            let line = raw.trim();
            if (line === '' || line.startsWith('#'))
                continue;
            const negated = line.startsWith('!');
            if (negated)
                line = line.slice(1).trim();
            line = line.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
            if (line === '' || line === '.')
                continue;
            rules.push({ negated, matcher: ignore().add(`/${line}`) });
        }
        this.rules = rules;
    }
    /** True when docker would leave `relativePath` (POSIX separators) out of the build context. */
    excludes(relativePath, isDirectory = false) {
        const path = isDirectory ? `${relativePath}/` : relativePath;
        let excluded = false;
        for (const rule of this.rules) {
            if (rule.matcher.ignores(path))
                excluded = !rule.negated;
        }
        return excluded;
    }
    /**
     * True when nothing below an excluded directory can be re-included, so the walk may skip it.
     * Any negated rule keeps the walk going (cheap to be safe, expensive to be wrong).
     */
    canPrune(relativeDir) {
        return !this.rules.some((rule) => rule.negated) && this.excludes(relativeDir, true);
    }
    get isEmpty() {
        return this.rules.length === 0;
    }
}
