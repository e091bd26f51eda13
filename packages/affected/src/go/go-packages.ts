import { dirOf, isAtOrBelow, joinPath, type SourceTree } from '../tree/source-tree.js';
import { type GoMod, parseGoMod } from './go-mod.js';
import { type GoSourceFile, parseGoSource } from './go-source.js';

/** Parsed Go files by content id, shared across the trees of successive commits. */
export type GoParseCache = Map<string, GoSourceFile>;

/** Files a Go package compiles besides `.go` files (assembly, cgo sources, object files). */
const OTHER_SOURCES = /\.(s|S|sx|c|cc|cpp|cxx|h|hh|hpp|hxx|m|f|F|for|f90|swig|swigcxx|syso)$/;

/** One directory's Go package: its files (build constraints ignored: every file counts) and what they import. */
export interface GoPackage {
  readonly dir: string;
  /** Imports of its non-test files. */
  readonly imports: ReadonlySet<string>;
  /** Imports of its `_test.go` files, when they were read (packages of a suite's own tests). */
  readonly testImports: ReadonlySet<string>;
  /** `//go:embed` patterns, relative to the project root. */
  readonly embeds: readonly string[];
}

/** How an import path resolves inside the repository. */
export type ImportTarget =
  | { readonly kind: 'package'; readonly dir: string }
  /** Not this module's: the standard library or a required module, pinned by go.mod and go.sum. */
  | { readonly kind: 'external' }
  /** This module's path, but no package is there: `affected` cannot tell what it compiles. */
  | { readonly kind: 'unresolved'; readonly why: string };

/** Why a package is in a closure: the root it was reached from, through `via`, the package that imports it. */
export interface Reached {
  readonly root: string;
  readonly via: string | undefined;
}

export interface GoClosure {
  /** Package directory → how it was reached (first way found, breadth first: a shortest import chain). */
  readonly packages: ReadonlyMap<string, Reached>;
  /** In-module imports no package answers, each with the package that imports it. */
  readonly unresolved: readonly {
    readonly importer: string;
    readonly importPath: string;
    readonly why: string;
  }[];
}

/** The module's packages at one tree: what each imports, and how import paths resolve to directories. */
export class GoPackageGraph {
  private constructor(
    readonly goMod: GoMod | undefined,
    readonly packages: ReadonlyMap<string, GoPackage>,
    /** Directories of other modules (their own go.mod) that no local `replace` brings in: not this module's code. */
    readonly nestedModules: readonly string[],
    private readonly vendored: boolean,
  ) {}

  /**
   * Reads every Go file of the tree's module (non-test files of every package; `_test.go` files only below
   * `testDirs`, the suites' own test code). Files under a nested module (a directory with its own go.mod) are left
   * out unless go.mod replaces a module with that directory.
   */
  static async load(
    tree: SourceTree,
    options: { readonly testDirs?: readonly string[]; readonly cache?: GoParseCache } = {},
  ): Promise<GoPackageGraph> {
    const cache = options.cache ?? new Map();
    const testDirs = options.testDirs ?? [];
    const goModText = (await tree.readFiles(['go.mod'])).get('go.mod');
    const goMod = goModText === undefined ? undefined : parseGoMod(goModText);
    const replaced = (goMod?.localReplaces ?? [])
      .map((r) => joinPath('', r.dir))
      .filter((d): d is string => d !== undefined);
    const nestedModules = tree.files
      .filter((f) => f.endsWith('/go.mod'))
      .map(dirOf)
      .filter((d) => !replaced.includes(d));
    const inNested = (path: string) => nestedModules.some((m) => isAtOrBelow(path, m));

    const goFiles = tree.files.filter(
      (f) =>
        f.endsWith('.go') &&
        !inNested(f) &&
        (!f.endsWith('_test.go') || testDirs.some((d) => isAtOrBelow(f, d))),
    );
    const parsed = new Map<string, GoSourceFile>();
    const toRead: string[] = [];
    for (const file of goFiles) {
      const id = tree.contentId(file);
      const hit = id === undefined ? undefined : cache.get(id);
      if (hit) parsed.set(file, hit);
      else toRead.push(file);
    }
    for (const [file, text] of await tree.readFiles(toRead)) {
      const source = parseGoSource(text);
      parsed.set(file, source);
      const id = tree.contentId(file);
      if (id !== undefined) cache.set(id, source);
    }

    const packages = new Map<string, { imports: Set<string>; testImports: Set<string>; embeds: string[] }>();
    for (const [file, source] of parsed) {
      if (source.packageName === undefined) continue;
      const dir = dirOf(file);
      let pkg = packages.get(dir);
      if (!pkg) {
        pkg = { imports: new Set(), testImports: new Set(), embeds: [] };
        packages.set(dir, pkg);
      }
      const into = file.endsWith('_test.go') ? pkg.testImports : pkg.imports;
      for (const path of source.imports) into.add(path);
      for (const pattern of source.embeds) {
        const path = joinPath(dir, pattern);
        if (path !== undefined) pkg.embeds.push(path);
      }
    }
    const graph = new Map<string, GoPackage>();
    for (const [dir, pkg] of packages) graph.set(dir, { dir, ...pkg });
    return new GoPackageGraph(goMod, graph, nestedModules, tree.has('vendor/modules.txt'));
  }

  /** The package directory of a `.go` file, when it is this module's code (not a nested module's). */
  packageOf(file: string): string | undefined {
    if (!file.endsWith('.go') || this.nestedModules.some((m) => isAtOrBelow(file, m))) return undefined;
    return dirOf(file);
  }

  /** True when `file` is compiled into package `dir` besides its `.go` files (assembly, cgo sources). */
  static isOtherSource(file: string): boolean {
    return OTHER_SOURCES.test(file);
  }

  resolve(importPath: string): ImportTarget {
    const module = this.goMod?.module;
    const inModule = module !== undefined && (importPath === module || importPath.startsWith(`${module}/`));
    let dir: string | undefined;
    if (inModule) dir = importPath === module ? '' : importPath.slice(module.length + 1);
    else {
      const replace = (this.goMod?.localReplaces ?? []).find(
        (r) => importPath === r.modulePath || importPath.startsWith(`${r.modulePath}/`),
      );
      if (replace !== undefined) {
        // `./lib` + `/client` → `lib/client`; a directory outside the repository is not this tree's to follow.
        dir = joinPath('', `${replace.dir}${importPath.slice(replace.modulePath.length)}`);
        if (dir === undefined)
          return {
            kind: 'unresolved',
            why: `go.mod replaces it with ${replace.dir}, outside the repository`,
          };
      } else {
        if (this.vendored && this.packages.has(`vendor/${importPath}`))
          return { kind: 'package', dir: `vendor/${importPath}` };
        return { kind: 'external' };
      }
    }
    if (dir !== undefined && this.packages.has(dir)) return { kind: 'package', dir };
    return {
      kind: 'unresolved',
      why: `no Go package in ${dir === undefined || dir === '' ? 'the module root' : `${dir}/`} of this tree`,
    };
  }

  /**
   * Every package the roots compile, following imports breadth first. A root listed in `withTests` also follows
   * its `_test.go` files' imports (a suite's own test package is compiled with them).
   */
  closure(roots: readonly string[], withTests: ReadonlySet<string> = new Set()): GoClosure {
    const packages = new Map<string, Reached>();
    const unresolved: { importer: string; importPath: string; why: string }[] = [];
    const queue: string[] = [];
    for (const root of roots) {
      if (packages.has(root) || !this.packages.has(root)) continue;
      packages.set(root, { root, via: undefined });
      queue.push(root);
    }
    while (queue.length > 0) {
      const dir = queue.shift()!;
      const pkg = this.packages.get(dir)!;
      const reached = packages.get(dir)!;
      const imports = withTests.has(dir) ? [...pkg.imports, ...pkg.testImports] : pkg.imports;
      for (const importPath of imports) {
        const target = this.resolve(importPath);
        if (target.kind === 'external') continue;
        if (target.kind === 'unresolved') {
          unresolved.push({ importer: dir, importPath, why: target.why });
          continue;
        }
        if (packages.has(target.dir)) continue;
        packages.set(target.dir, { root: reached.root, via: dir });
        queue.push(target.dir);
      }
    }
    return { packages, unresolved };
  }

  /** The import chain from a closure's root to `dir`: `cmd/gateway → pkg/gateway/api → pkg/shared`. */
  static chain(closure: GoClosure, dir: string): string[] {
    const chain: string[] = [];
    let at: string | undefined = dir;
    while (at !== undefined && chain.length < 64) {
      chain.unshift(at === '' ? '.' : at);
      at = closure.packages.get(at)?.via;
    }
    return chain;
  }
}
