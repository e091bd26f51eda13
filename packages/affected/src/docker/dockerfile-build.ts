import { posix } from 'node:path';
import { dockerfileInstructions, type Instruction, keyValues, substitute } from './dockerfile-lines.js';
import { simpleCommands } from './shell-words.js';

/**
 * What of its build context an image holds, read from its Dockerfile:
 *
 * - `goBuilds`: the Go packages compiled into binaries the final image holds (`go build … ./cmd/gateway` in a
 *   builder stage whose output a `COPY --from` takes), relative to the context. Their import closure is the input,
 *   not the source tree the stage copied: kubernaut's `COPY . .` brings the whole repository into the builder, but only
 *   the compiled packages reach the binary.
 * - `contextInputs`: context paths whose files reach the image otherwise — copied into the final stage, taken from a
 *   builder's copy by a `COPY --from`, or in a stage when a command ran that this reading does not understand (it
 *   may have put anything anywhere). `'whole'` is the entire context, with the reason.
 */
export interface DockerfileBuild {
  readonly goBuilds: readonly GoBuildTarget[];
  readonly contextInputs: readonly ContextInput[] | { readonly whole: string };
}

export interface GoBuildTarget {
  /** A package directory relative to the context (`cmd/gateway`, `''` for the root), or a `dir/...` pattern. */
  readonly target: string;
  readonly line: number;
}

export interface ContextInput {
  /** Context-relative path or docker glob; everything below it counts. */
  readonly pattern: string;
  readonly line: number;
  readonly why: string;
}

export interface DockerfileBuildOptions {
  /** `--build-arg` values: they override `ARG` defaults. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The Go module path, so `go build github.com/org/repo/cmd/x` maps to `cmd/x`. */
  readonly goModule?: string;
  /** Whether a context path is a directory (its contents are copied) rather than a file; false when not given. */
  readonly isDirectory?: (contextPath: string) => boolean;
}

/** Programs a builder stage may run after copying the context while its output stays just the compiled packages. */
const UNDERSTOOD_PROGRAMS = new Set([
  'echo',
  'printf',
  'true',
  'false',
  'test',
  '[',
  ']',
  '[[',
  ']]',
  'set',
  'export',
  'unset',
  ':',
  'mkdir',
  'rm',
  'chmod',
  'chown',
  'chgrp',
  'useradd',
  'groupadd',
  'adduser',
  'addgroup',
  'usermod',
  'dnf',
  'microdnf',
  'yum',
  'rpm',
  'apt-get',
  'apt',
  'apk',
  'update-ca-certificates',
  'ls',
  'pwd',
  'id',
  'env',
  'exit',
]);
/** Shell words that only join commands. */
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', '!', '{', '}']);
/** `go` subcommands that compile or only read: build and install are followed, the others change nothing we track. */
const GO_READ_ONLY = new Set(['env', 'version', 'mod', 'list']);
const GO_FLAGS_WITH_VALUE = new Set([
  'o',
  'p',
  'ldflags',
  'gcflags',
  'asmflags',
  'gccgoflags',
  'tags',
  'mod',
  'modfile',
  'installsuffix',
  'buildmode',
  'compiler',
  'coverpkg',
  'covermode',
  'pkgdir',
  'toolexec',
  'pgo',
  'overlay',
  'buildvcs',
  'C',
]);

type Sources = readonly ContextInput[] | { readonly whole: string };

/** Context content somewhere in a stage's filesystem. */
interface Region {
  /** Absolute path in the stage. */
  readonly path: string;
  /** The context path that `path` holds (`''`: the context's root), when a path below it maps to one. */
  readonly root: string | undefined;
  readonly sources: Sources;
}

/** A Go build's output in a stage: its path (undefined: `go install`, somewhere in GOBIN) and what it compiled. */
interface Output {
  readonly path: string | undefined;
  readonly targets: readonly GoBuildTarget[];
}

interface Stage {
  readonly name: string | undefined;
  readonly vars: Map<string, string | undefined>;
  workdir: string;
  regions: Region[];
  outputs: Output[];
  /** Set when a command this reading does not understand ran with context content present: all of it may be anywhere. */
  taint: Sources | undefined;
}

/** Reads a Dockerfile (see `DockerfileBuild`). Never throws: what it cannot follow becomes the whole context. */
export function analyzeDockerfile(text: string, options: DockerfileBuildOptions = {}): DockerfileBuild {
  const buildArgs = options.buildArgs ?? {};
  const { instructions, heredoc } = dockerfileInstructions(text);
  if (heredoc !== undefined) return whole(`a heredoc at line ${heredoc} (its body is not read)`);
  const globals = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  let stage: Stage | undefined;

  for (const instruction of instructions) {
    const { keyword, rest, line } = instruction;
    if (keyword === 'FROM') {
      stage = fromStage(rest, globals, stages);
      stages.push(stage);
      continue;
    }
    if (keyword === 'ARG') {
      for (const [name, value] of keyValues(rest)) {
        const given = buildArgs[name];
        if (stage === undefined) globals.set(name, given ?? value);
        else {
          const fallback = value === undefined ? globals.get(name) : substitute(value, stage.vars, false);
          stage.vars.set(name, given ?? fallback);
        }
      }
      continue;
    }
    if (stage === undefined) continue;
    switch (keyword) {
      case 'ENV': {
        const pairs = rest.includes('=') ? keyValues(rest) : legacyEnv(rest);
        for (const [name, value] of pairs)
          stage.vars.set(name, value === undefined ? undefined : substitute(value, stage.vars, false));
        break;
      }
      case 'WORKDIR': {
        const dir = substitute(rest.trim(), stage.vars, true);
        if (dir === undefined) return whole(`WORKDIR at line ${line} uses a variable without a value`);
        stage.workdir = posix.resolve(stage.workdir, dir);
        break;
      }
      case 'COPY':
      case 'ADD': {
        const problem = copy(instruction, stage, stages, options.isDirectory ?? (() => false));
        if (problem !== undefined) return whole(problem);
        break;
      }
      case 'RUN':
        run(instruction, stage, options);
        break;
      default:
        break;
    }
  }
  const final = stages.at(-1);
  if (final === undefined) return whole('no FROM instruction');
  const inputs: ContextInput[] = [];
  for (const sources of [...final.regions.map((r) => r.sources), ...(final.taint ? [final.taint] : [])]) {
    if ('whole' in sources) return { goBuilds: targetsOf(final), contextInputs: sources };
    inputs.push(...sources);
  }
  return { goBuilds: targetsOf(final), contextInputs: inputs };
}

function whole(why: string): DockerfileBuild {
  return { goBuilds: [], contextInputs: { whole: why } };
}

function targetsOf(stage: Stage): GoBuildTarget[] {
  const byTarget = new Map<string, GoBuildTarget>();
  for (const target of stage.outputs.flatMap((o) => o.targets))
    if (!byTarget.has(target.target)) byTarget.set(target.target, target);
  return [...byTarget.values()];
}

function fromStage(rest: string, globals: ReadonlyMap<string, string | undefined>, stages: Stage[]): Stage {
  const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
  const image = substitute(words[0] ?? '', globals, false) ?? '';
  const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
  const base = findStage(stages, image);
  return {
    name,
    vars: new Map(),
    workdir: base?.workdir ?? '/',
    regions: [...(base?.regions ?? [])],
    outputs: [...(base?.outputs ?? [])],
    taint: base?.taint,
  };
}

function findStage(stages: readonly Stage[], ref: string): Stage | undefined {
  const lower = ref.toLowerCase();
  return stages.find((s) => s.name === lower) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
}

function legacyEnv(text: string): [string, string][] {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/s.exec(text.trim());
  return m ? [[m[1]!, m[2]!]] : [];
}

/** Splits leading `--flag[=value]` words off an instruction's arguments. */
function splitFlags(rest: string): { flags: string[]; args: string } {
  const flags: string[] = [];
  let args = rest.trimStart();
  for (;;) {
    const m = /^--(\S+)\s*/.exec(args);
    if (!m) return { flags, args };
    flags.push(m[1]!);
    args = args.slice(m[0].length);
  }
}

function copyArguments(args: string): string[] | undefined {
  if (!args.startsWith('[')) return args.split(/\s+/).filter(Boolean);
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Applies a COPY/ADD to the stage; returns why the whole context counts when it cannot be followed. */
function copy(
  instruction: Instruction,
  stage: Stage,
  stages: readonly Stage[],
  isDirectory: (contextPath: string) => boolean,
): string | undefined {
  const { keyword, rest, line } = instruction;
  const { flags, args } = splitFlags(rest);
  const list = copyArguments(args);
  if (list === undefined || list.length < 2) return `${keyword} at line ${line} is not understood`;
  const resolved = list.map((w) => substitute(w, stage.vars, true));
  if (resolved.some((w) => w === undefined))
    return `${keyword} at line ${line} uses a variable without a value`;
  const words = resolved as string[];
  const destWord = words.at(-1)!;
  const dest = posix.resolve(stage.workdir, destWord);
  const from = flags.find((f) => /^from=/i.test(f))?.slice(5);
  if (from !== undefined) {
    const source = findStage(stages, substitute(from, stage.vars, false) ?? from);
    // From an image, not a stage of this build: nothing of the context.
    if (source !== undefined)
      for (const src of words.slice(0, -1)) copyFromStage(source, posix.resolve('/', src), dest, stage, line);
    return undefined;
  }
  const sources = words.slice(0, -1);
  const intoDirectory = destWord.endsWith('/') || sources.length > 1;
  for (const src of sources) {
    if (keyword === 'ADD' && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(src)) continue;
    const pattern = contextPattern(src);
    if (pattern === undefined) return `${keyword} at line ${line} reads outside the build context`;
    const why = `${keyword} at line ${line}`;
    if (pattern === '') {
      stage.regions.push({ path: dest, root: '', sources: { whole: `the whole context (${why})` } });
      continue;
    }
    const glob = /[*?[]/.test(pattern);
    // A directory's contents land in dest; a file lands in dest, or below it when dest is a directory.
    const directory = !glob && (/[\\/]$/.test(src) || isDirectory(pattern));
    const path = directory || glob || !intoDirectory ? dest : posix.join(dest, posix.basename(pattern));
    stage.regions.push({ path, root: glob ? undefined : pattern, sources: [{ pattern, line, why }] });
  }
  return undefined;
}

/** `COPY --from=<stage> src dest`: what of the source stage's context content and Go outputs `src` covers. */
function copyFromStage(source: Stage, src: string, dest: string, into: Stage, line: number): void {
  const overlaps = (a: string, b: string) =>
    a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || a === '/' || b === '/';
  const outputs = source.outputs.filter((o) => o.path === undefined || overlaps(o.path, src));
  for (const output of outputs) into.outputs.push({ path: dest, targets: output.targets });
  // A path at or below a build output is the binary, whatever the context had there.
  if (outputs.some((o) => o.path !== undefined && (src === o.path || src.startsWith(`${o.path}/`)))) return;
  for (const region of source.regions) {
    if (!overlaps(region.path, src)) continue;
    if (region.root !== undefined && src !== region.path && src.startsWith(`${region.path}/`)) {
      const below = src.slice(region.path.length + 1);
      const pattern = region.root === '' ? below : `${region.root}/${below}`;
      into.regions.push({
        path: dest,
        root: pattern,
        sources: [
          { pattern, line, why: `COPY --from at line ${line} takes ${src} from a stage holding the context` },
        ],
      });
    } else {
      into.regions.push({
        path: dest,
        root: src === region.path ? region.root : undefined,
        sources: region.sources,
      });
    }
  }
  if (source.taint) into.regions.push({ path: dest, root: undefined, sources: source.taint });
}

/** A COPY source as a context-relative pattern: `''` for the whole context, undefined outside it. */
function contextPattern(source: string): string | undefined {
  const path = posix.normalize(`/${source.replace(/\\/g, '/')}`);
  if (source.split(/[\\/]/).includes('..')) return undefined;
  const relative = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return relative === '.' || relative === '*' ? '' : relative;
}

/** Follows a RUN: Go builds become outputs; a command not understood with context content present taints the stage. */
function run(instruction: Instruction, stage: Stage, options: DockerfileBuildOptions): void {
  const { flags, args } = splitFlags(instruction.rest);
  const mounts = bindMounts(flags, stage, instruction.line);
  const regions = [...stage.regions, ...mounts];
  let commands: string[][] | undefined;
  if (args.startsWith('[')) {
    const exec = copyArguments(args);
    commands = exec === undefined ? undefined : [exec];
  } else {
    const text = substitute(args, stage.vars, false);
    commands = text === undefined ? undefined : simpleCommands(text);
  }
  if (regions.length === 0 && stage.taint === undefined) return; // nothing of the context is here
  const builds =
    commands === undefined ? undefined : goBuilds(commands, stage, regions, instruction.line, options);
  if (builds === undefined) {
    const everything = regions.map((r) => r.sources);
    stage.taint = merge([...(stage.taint ? [stage.taint] : []), ...everything], instruction.line);
    return;
  }
  stage.outputs.push(...builds);
}

function merge(all: readonly Sources[], line: number): Sources {
  const inputs: ContextInput[] = [];
  for (const sources of all) {
    if ('whole' in sources)
      return {
        whole: `RUN at line ${line} runs a command this reading does not follow, with ${sources.whole} present`,
      };
    inputs.push(
      ...sources.map((s) => ({
        ...s,
        why: `${s.why}, used by RUN at line ${line} (a command this reading does not follow)`,
      })),
    );
  }
  return inputs;
}

function bindMounts(flags: readonly string[], stage: Stage, line: number): Region[] {
  const regions: Region[] = [];
  for (const flag of flags) {
    const m = /^mount=(.*)$/i.exec(flag);
    if (!m) continue;
    const options = new Map<string, string>();
    for (const part of m[1]!.split(',')) {
      const [key, ...value] = part.split('=');
      options.set(key!.toLowerCase(), value.join('='));
    }
    if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from')) continue;
    const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
    const source = contextPattern(options.get('source') ?? options.get('src') ?? '.');
    const why = `RUN --mount at line ${line}`;
    regions.push({
      path: posix.resolve(stage.workdir, target ?? '/'),
      root: source,
      sources:
        source === undefined || source === ''
          ? { whole: `the whole context (${why})` }
          : [{ pattern: source, line, why }],
    });
  }
  return regions;
}

/**
 * The Go builds of a RUN's commands, or undefined when a command is not one this reading follows (a script, `make`,
 * `cp`, `go generate`, a loop…).
 */
function goBuilds(
  commands: readonly string[][],
  stage: Stage,
  regions: readonly Region[],
  line: number,
  options: DockerfileBuildOptions,
): Output[] | undefined {
  const outputs: Output[] = [];
  let cwd = stage.workdir;
  for (const command of commands) {
    let words = command.filter((w) => !SHELL_KEYWORDS.has(w));
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words = words.slice(1);
    const program = words[0];
    if (program === undefined) continue;
    if (program === 'cd') {
      const dir = words[1];
      if (dir === undefined || dir.includes('$')) return undefined;
      cwd = posix.resolve(cwd, dir);
      continue;
    }
    if (program === 'go') {
      const sub = words[1];
      if (sub === 'build' || sub === 'install') {
        const output = goBuild(words.slice(2), sub, cwd, regions, line, options);
        if (output === undefined) return undefined;
        outputs.push(output);
        continue;
      }
      if (sub !== undefined && GO_READ_ONLY.has(sub)) continue;
      return undefined;
    }
    if (!UNDERSTOOD_PROGRAMS.has(program)) return undefined;
  }
  return outputs;
}

function goBuild(
  args: readonly string[],
  sub: 'build' | 'install',
  cwd: string,
  regions: readonly Region[],
  line: number,
  options: DockerfileBuildOptions,
): Output | undefined {
  let output: string | undefined;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = /^--?([A-Za-z][\w-]*)(=.*)?$/.exec(arg);
    if (flag) {
      const name = flag[1]!;
      const value =
        flag[2] !== undefined ? flag[2].slice(1) : GO_FLAGS_WITH_VALUE.has(name) ? args[++i] : undefined;
      if (name === 'o') output = value;
      if (name === 'C') return undefined;
      continue;
    }
    targets.push(arg);
  }
  if (targets.length === 0) targets.push('.');
  const mapped: GoBuildTarget[] = [];
  for (const target of targets) {
    if (target.includes('$')) return undefined;
    const relative = contextTarget(target, cwd, regions, options.goModule);
    if (relative === null) continue; // a module from the network (go install x@v1): not the context
    if (relative === undefined) return undefined;
    mapped.push({ target: relative, line });
  }
  let path: string | undefined;
  if (sub === 'build') {
    const main = targets[0]!.replace(/\/\.\.\.$/, '').replace(/\/[^/]+\.go$/, '');
    const name = posix.basename(main === '.' ? cwd : main);
    path = output === undefined ? posix.resolve(cwd, name) : posix.resolve(cwd, output);
    if (output?.endsWith('/')) path = posix.resolve(path, name);
  }
  return { path, targets: mapped };
}

/**
 * A `go build` target as a package of the context: `./cmd/x` (relative to the command's directory, which must hold
 * context content), `github.com/org/repo/cmd/x` (the module's path), `x.go` files (their directory). `null`: not the
 * context's code (a versioned module); undefined: context code this reading cannot place.
 */
function contextTarget(
  target: string,
  cwd: string,
  regions: readonly Region[],
  goModule: string | undefined,
): string | null | undefined {
  const pattern = target.endsWith('/...') ? '/...' : '';
  let path = pattern ? target.slice(0, -4) : target;
  if (path.endsWith('.go')) path = posix.dirname(path);
  if (!(path.startsWith('.') || path.startsWith('/'))) {
    if (path.includes('@')) return null;
    if (goModule !== undefined && (path === goModule || path.startsWith(`${goModule}/`)))
      return withPattern(path.slice(goModule.length + 1), pattern);
    return path.includes('.') ? null : undefined;
  }
  const absolute = posix.resolve(cwd, path);
  for (const region of regions) {
    if (region.root === undefined) continue;
    const below =
      absolute === region.path
        ? ''
        : absolute.startsWith(`${region.path}/`)
          ? absolute.slice(region.path.length + 1)
          : undefined;
    if (below !== undefined)
      return withPattern([region.root, below].filter((p) => p !== '').join('/'), pattern);
  }
  return undefined;
}

/** A package directory, or with `/...` every package at and below it (`...` alone: the whole module). */
function withPattern(dir: string, pattern: string): string {
  if (pattern === '') return dir;
  return dir === '' ? '...' : `${dir}/...`;
}
