/**
 * Which parts of the build context a Dockerfile reads: the sources of its `COPY` and `ADD` instructions (except
 * those `--from` another stage or image) and the context bind mounts of `RUN --mount=type=bind`.
 *
 * Why: kubernaut builds every image from the repository root, so every image's context is the whole repository
 * and a content hash over it changes for every edit anywhere. The files an image actually takes are what decide
 * whether it needs a rebuild; the dev loop uses them so an edit in `cmd/gateway` rebuilds the gateway alone.
 *
 * Getting this wrong would serve a stale image, so anything this parser cannot resolve for certain (a heredoc,
 * a variable without a value, a source reaching outside the context) means "the whole context".
 */
const WHOLE_CONTEXT = undefined;
/**
 * The context sources of a Dockerfile's instructions, with ARG and ENV values substituted (`buildArgs` override
 * ARG defaults, as `--build-arg` does). `[]` means the build reads nothing from the context but the Dockerfile.
 */
export function dockerfileContextSources(text, buildArgs = {}) {
    const continuation = escapeCharacter(text);
    const globals = new Map();
    let stage;
    const sources = new Set();
    for (const line of logicalLines(text, continuation)) {
        const match = /^(\S+)\s*(.*)$/s.exec(line);
        if (!match)
            continue;
        const instruction = match[1].toUpperCase();
        const rest = match[2];
        if (/<<-?\s*["']?[A-Za-z_]/.test(rest) && ['RUN', 'COPY', 'ADD'].includes(instruction)) {
            // Heredoc bodies are lines this parser would read as instructions.
            return WHOLE_CONTEXT;
        }
        switch (instruction) {
            case 'FROM':
                stage = new Map();
                break;
            case 'ARG':
                for (const [name, value] of keyValues(rest)) {
                    const given = buildArgs[name];
                    if (stage === undefined) {
                        globals.set(name, given ?? value);
                        continue;
                    }
                    // A default may use earlier ARG and ENV values; an ARG without one takes the global ARG's value.
                    const fallback = value === undefined ? globals.get(name) : substitute(value, stage);
                    stage.set(name, given ?? fallback ?? undefined);
                }
                break;
            case 'ENV': {
                if (stage === undefined)
                    break;
                const pairs = rest.includes('=') ? keyValues(rest) : legacyEnv(rest);
                for (const [name, value] of pairs) {
                    const resolved = value === undefined ? undefined : substitute(value, stage);
                    if (resolved === null)
                        return WHOLE_CONTEXT;
                    stage.set(name, resolved);
                }
                break;
            }
            case 'COPY':
            case 'ADD': {
                const found = copySources(rest, instruction, stage ?? new Map());
                if (found === WHOLE_CONTEXT)
                    return WHOLE_CONTEXT;
                for (const source of found)
                    sources.add(source);
                break;
            }
            case 'RUN': {
                const found = bindMountSources(rest, stage ?? new Map());
                if (found === WHOLE_CONTEXT)
                    return WHOLE_CONTEXT;
                for (const source of found)
                    sources.add(source);
                break;
            }
            default:
                // ONBUILD instructions run in a child image's build, not this one; the rest read no context.
                break;
        }
    }
    return [...sources];
}
/** `# escape=`` ` (a parser directive at the very top) switches the line-continuation character. */
function escapeCharacter(text) {
    for (const line of text.split(/\r?\n/)) {
        const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
        if (!directive)
            break;
        if (directive[1].toLowerCase() === 'escape')
            return directive[2];
    }
    return '\\';
}
/** Instructions with their continuation lines joined; comment and blank lines dropped, as docker does. */
function logicalLines(text, continuation) {
    const lines = [];
    let current;
    for (const raw of text.split(/\r?\n/)) {
        const trimmed = raw.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const end = raw.trimEnd();
        const continued = end.endsWith(continuation);
        const body = continued ? end.slice(0, -continuation.length) : end;
        current = current === undefined ? body.trimStart() : `${current} ${body.trim()}`;
        if (!continued) {
            lines.push(current);
            current = undefined;
        }
    }
    if (current !== undefined)
        lines.push(current);
    return lines;
}
/** `NAME=value NAME2 NAME3="a b"` → pairs (value `undefined` when there is no `=`). */
function keyValues(text) {
    const pairs = [];
    const pattern = /([A-Za-z_][A-Za-z0-9_]*)(?:=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*)))?/g;
    for (const m of text.matchAll(pattern)) {
        const hasValue = m[0].includes('=');
        pairs.push([m[1], hasValue ? (m[2] ?? m[3] ?? m[4] ?? '') : undefined]);
    }
    return pairs;
}
/** The legacy `ENV NAME value with spaces` form. */
function legacyEnv(text) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/s.exec(text.trim());
    return m ? [[m[1], m[2]]] : [];
}
/**
 * `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}` with the stage's ARG and ENV values; `null` when a variable
 * has no value (docker would substitute an empty string, which is never the path the author meant).
 */
function substitute(text, vars) {
    let unresolved = false;
    const result = text.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, operator, word, bare) => {
        if (whole === '\\$')
            return '$';
        const value = vars.get((braced ?? bare));
        const set = value !== undefined && value !== '';
        if (operator === '-')
            return set ? value : (word ?? '');
        if (operator === '+')
            return set ? (word ?? '') : '';
        if (value === undefined)
            unresolved = true;
        return value ?? '';
    });
    return unresolved ? null : result;
}
/** Splits leading `--flag[=value]` words off an instruction's arguments. */
function splitFlags(rest) {
    const flags = [];
    let args = rest.trimStart();
    for (;;) {
        const m = /^--(\S+)\s*/.exec(args);
        if (!m)
            return { flags, args };
        flags.push(m[1]);
        args = args.slice(m[0].length);
    }
}
function copySources(rest, instruction, vars) {
    const { flags, args } = splitFlags(rest);
    // From another stage or image: nothing comes from the context.
    if (flags.some((f) => /^from=/i.test(f)))
        return [];
    let list;
    if (args.startsWith('[')) {
        try {
            const parsed = JSON.parse(args);
            if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string'))
                return WHOLE_CONTEXT;
            list = parsed;
        }
        catch {
            return WHOLE_CONTEXT;
        }
    }
    else {
        list = args.split(/\s+/).filter(Boolean);
    }
    if (list.length < 2)
        return WHOLE_CONTEXT;
    const sources = [];
    for (const raw of list.slice(0, -1)) {
        const value = substitute(raw, vars);
        if (value === null)
            return WHOLE_CONTEXT;
        // ADD fetches URLs and git repositories itself.
        if (instruction === 'ADD' && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(value))
            continue;
        const normalized = normalizeSource(value);
        if (normalized === WHOLE_CONTEXT)
            return WHOLE_CONTEXT;
        sources.push(normalized);
    }
    return sources;
}
/** `RUN --mount=type=bind,source=x,target=/y` reads `x` from the context (`type` defaults to bind, `source` to `.`). */
function bindMountSources(rest, vars) {
    const sources = [];
    for (const flag of splitFlags(rest).flags) {
        const m = /^mount=(.*)$/i.exec(flag);
        if (!m)
            continue;
        const options = new Map();
        for (const part of m[1].split(',')) {
            const [key, ...value] = part.split('=');
            options.set(key.toLowerCase(), value.join('='));
        }
        if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from'))
            continue;
        const value = substitute(options.get('source') ?? options.get('src') ?? '.', vars);
        if (value === null)
            return WHOLE_CONTEXT;
        const normalized = normalizeSource(value);
        if (normalized === WHOLE_CONTEXT)
            return WHOLE_CONTEXT;
        sources.push(normalized);
    }
    return sources;
}
/** Context-relative, no leading `./` or `/`, no trailing `/`; the context itself, or outside it, is everything. */
function normalizeSource(source) {
    let path = source.replace(/\\/g, '/');
    for (;;) {
        const next = path.replace(/^\.\//, '').replace(/^\/+/, '');
        if (next === path)
            break;
        path = next;
    }
    path = path.replace(/\/+$/, '').replace(/\/\.(?=\/|$)/g, '');
    if (path === '' || path === '.' || path.split('/').includes('..'))
        return WHOLE_CONTEXT;
    // `!` and `#` would read as a negation or a comment in the pattern matcher.
    if (path.startsWith('!') || path.startsWith('#'))
        return WHOLE_CONTEXT;
    return path;
}
