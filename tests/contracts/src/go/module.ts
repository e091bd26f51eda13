import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ContractsError, ContractsErrorCode } from '../errors.js';
import type { GoConstDecl, GoFile, GoTypeDecl } from './ast.js';
import { parseGoFile } from './parse-file.js';
import { GoSyntaxError } from './tokens.js';

/** A package of the module: the non-test .go files of one directory. */
export interface GoPackage {
  /** Directory relative to the module root (`pkg/gateway/config`, `` for the root). */
  readonly dir: string;
  readonly name: string;
  readonly files: readonly GoFile[];
}

/** A type declaration and the file that declares it. */
export interface LocatedType {
  readonly pkg: GoPackage;
  readonly file: GoFile;
  readonly decl: GoTypeDecl;
}

/** Where an import name in a file leads. */
export type ImportTarget =
  | { readonly kind: 'module'; readonly dir: string; readonly path: string }
  | { readonly kind: 'external'; readonly path: string };

/**
 * A Go module on disk, read without a Go toolchain: `module` from go.mod, packages parsed on first use,
 * qualified names resolved through each file's imports to directories inside the module.
 */
export class GoModule {
  private readonly packages = new Map<string, GoPackage>();

  private constructor(
    readonly root: string,
    readonly modulePath: string,
  ) {}

  static open(root: string): GoModule {
    const goMod = join(root, 'go.mod');
    if (!existsSync(goMod))
      throw new ContractsError(ContractsErrorCode.GoSource, `${root} is not a Go module: it has no go.mod`);
    const match = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(readFileSync(goMod, 'utf8'));
    if (!match) throw new ContractsError(ContractsErrorCode.GoSource, `${goMod} has no module directive`);
    return new GoModule(root, match[2]!);
  }

  /** Parses one file (relative path), e.g. a `main.go`. */
  file(path: string): GoFile {
    const text = this.source(path);
    try {
      return parseGoFile(text, path);
    } catch (error) {
      if (error instanceof GoSyntaxError)
        throw new ContractsError(ContractsErrorCode.GoSource, `${path}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /** The text of a file (relative path). */
  source(path: string): string {
    const absolute = join(this.root, path);
    if (!existsSync(absolute))
      throw new ContractsError(ContractsErrorCode.GoSource, `${path} does not exist in ${this.root}`);
    return readFileSync(absolute, 'utf8');
  }

  /** The lines of a file (relative path), for quotes. */
  lines(path: string): string[] {
    return this.source(path).split('\n');
  }

  package(dir: string): GoPackage {
    const cached = this.packages.get(dir);
    if (cached) return cached;
    const absolute = join(this.root, dir);
    if (!existsSync(absolute))
      throw new ContractsError(
        ContractsErrorCode.GoSource,
        `package directory ${dir} does not exist in ${this.root}`,
      );
    const files = readdirSync(absolute)
      .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
      .sort()
      .map((f) => this.file(posix.join(dir, f)));
    const names = new Set(files.map((f) => f.packageName));
    if (files.length === 0 || names.size !== 1)
      throw new ContractsError(
        ContractsErrorCode.GoSource,
        files.length === 0
          ? `${dir} holds no Go files`
          : `${dir} declares several packages: ${[...names].join(', ')}`,
      );
    const pkg: GoPackage = { dir, name: files[0]!.packageName, files };
    this.packages.set(dir, pkg);
    return pkg;
  }

  /** The directory of an import path inside this module, or undefined for a path outside it. */
  dirOf(importPath: string): string | undefined {
    if (importPath === this.modulePath) return '';
    if (importPath.startsWith(`${this.modulePath}/`)) return importPath.slice(this.modulePath.length + 1);
    return undefined;
  }

  /** Resolves the name `qualifier` as `file` uses it (`sharedconfig` in `sharedconfig.DataStorageConfig`). */
  resolveImport(file: GoFile, qualifier: string): ImportTarget | undefined {
    const target = (path: string): ImportTarget => {
      const dir = this.dirOf(path);
      return dir === undefined ? { kind: 'external', path } : { kind: 'module', dir, path };
    };
    const named = file.imports.find((imp) => imp.alias === qualifier);
    if (named) return target(named.path);
    // An import without a name is known by its package clause, which is, by convention, the last path element:
    // check that one first, and parse the other module packages only when the convention does not hold.
    const unnamed = file.imports.filter((imp) => imp.alias === undefined);
    const byConvention = unnamed.filter((imp) => externalPackageName(imp.path) === qualifier);
    for (const imp of [...byConvention, ...unnamed.filter((imp) => !byConvention.includes(imp))]) {
      const dir = this.dirOf(imp.path);
      const name = dir === undefined ? externalPackageName(imp.path) : this.package(dir).name;
      if (name === qualifier) return target(imp.path);
    }
    return undefined;
  }

  /** A type declared in a package of the module (any of its files). */
  findType(dir: string, name: string): LocatedType | undefined {
    const pkg = this.package(dir);
    for (const file of pkg.files) {
      const decl = file.types.find((t) => t.name === name);
      if (decl) return { pkg, file, decl };
    }
    return undefined;
  }

  findConst(dir: string, name: string): { file: GoFile; decl: GoConstDecl } | undefined {
    for (const file of this.package(dir).files) {
      const decl = file.consts.find((c) => c.name === name);
      if (decl) return { file, decl };
    }
    return undefined;
  }

  /** Names of the methods the package declares on `typeName` (pointer or value receiver). */
  methodsOf(dir: string, typeName: string): Set<string> {
    const names = new Set<string>();
    for (const file of this.package(dir).files)
      for (const m of file.methods) if (m.receiver === typeName) names.add(m.name);
    return names;
  }
}

/** The package name Go assumes for an import path without an explicit name: `yaml` for gopkg.in/yaml.v3. */
export function externalPackageName(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1] ?? importPath;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '');
}
