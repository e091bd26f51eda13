import { posix } from 'node:path';
import { ContractsError, ContractsErrorCode } from '../errors.js';
import { formatType } from './ast.js';
import type { GoModule } from './module.js';
import { stringValue, type Token, tokenize } from './tokens.js';

/** A `flag.String("config", <default>, …)` or `flag.StringVar(&p, "config", <default>, …)` definition. */
export interface ConfigFlag {
  readonly flag: string;
  readonly value: string;
  /** The line of the flag definition (`cmd/x/main.go:148`). */
  readonly at: string;
  /** The constant the default names, when it is one (`config.DefaultConfigPath`). */
  readonly const?: { readonly name: string; readonly at: string };
}

/** Where `main` loads its config file, and the struct it loads. */
export interface ConfigLoad {
  /** Package directory of the loader (`pkg/gateway/config`). */
  readonly dir: string;
  readonly typeName: string;
  /** The struct's declaration. */
  readonly typeAt: string;
  /** The call in `main` (`cmd/gateway/main.go:67`). */
  readonly at: string;
}

interface Call {
  readonly receiver: Token;
  readonly method: Token;
  /** Arguments split at top-level commas. */
  readonly args: readonly Token[][];
}

/** Calls `recv.method(…)` in a file's tokens, with their arguments. */
function calls(tokens: readonly Token[], methods: readonly string[]): Call[] {
  const out: Call[] = [];
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [recv, dot, method, open] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!];
    if (recv.kind !== 'ident' || dot.text !== '.' || method.kind !== 'ident' || open.text !== '(') continue;
    if (!methods.includes(method.text)) continue;
    const args: Token[][] = [[]];
    let depth = 0;
    for (let j = i + 4; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.kind === 'punct' && ['(', '[', '{'].includes(t.text)) depth++;
      if (t.kind === 'punct' && [')', ']', '}'].includes(t.text)) {
        if (depth === 0) break;
        depth--;
      }
      if (depth === 0 && t.kind === 'punct' && t.text === ',') args.push([]);
      else if (t.kind !== 'semicolon') args[args.length - 1]!.push(t);
    }
    out.push({ receiver: recv, method, args });
  }
  return out;
}

/**
 * The default of the `--<name>` string flag `mainPath` defines (any flag set: `flag.StringVar`, `fs.String`),
 * resolving a constant default (`config.DefaultConfigPath`) through the file's imports. Undefined when the
 * file defines no such flag.
 */
export function findConfigFlag(module: GoModule, mainPath: string, name = 'config'): ConfigFlag | undefined {
  const file = module.file(mainPath);
  const tokens = tokenize(module.source(mainPath));
  for (const call of calls(tokens, ['String', 'StringVar'])) {
    const nameArg = call.method.text === 'String' ? call.args[0] : call.args[1];
    const defaultArg = call.method.text === 'String' ? call.args[1] : call.args[2];
    if (nameArg?.length !== 1 || (nameArg[0]!.kind !== 'string' && nameArg[0]!.kind !== 'rawString'))
      continue;
    if (stringValue(nameArg[0]!) !== name || defaultArg === undefined) continue;
    const at = `${mainPath}:${call.receiver.line}`;
    const [a, b, c] = defaultArg;
    if (defaultArg.length === 1 && a && (a.kind === 'string' || a.kind === 'rawString'))
      return { flag: name, value: stringValue(a), at };
    let dir: string | undefined;
    let constName: string | undefined;
    if (defaultArg.length === 1 && a?.kind === 'ident') {
      dir = posix.dirname(mainPath);
      constName = a.text;
    } else if (defaultArg.length === 3 && a?.kind === 'ident' && b?.text === '.' && c?.kind === 'ident') {
      const target = module.resolveImport(file, a.text);
      if (target?.kind === 'module') dir = target.dir;
      constName = c.text;
    }
    const found = dir === undefined || constName === undefined ? undefined : module.findConst(dir, constName);
    if (found === undefined || typeof found.decl.value !== 'string')
      throw new ContractsError(
        ContractsErrorCode.GoSource,
        `${at}: the default of --${name} (${defaultArg.map((t) => t.text).join('')}) is not a string literal or a ` +
          'string constant of the module',
      );
    return {
      flag: name,
      value: found.decl.value,
      at,
      const: { name: constName!, at: `${found.file.path}:${found.decl.line}` },
    };
  }
  return undefined;
}

/**
 * The struct `main` loads: the call `pkg.<loader>(…)` in `mainPath` whose package is in the module, and the
 * type that loader returns (`func LoadFromFile(path string) (*ServerConfig, error)` → `ServerConfig`).
 */
export function findConfigLoad(module: GoModule, mainPath: string, loader = 'LoadFromFile'): ConfigLoad {
  const file = module.file(mainPath);
  const found: { dir: string; line: number }[] = [];
  for (const call of calls(tokenize(module.source(mainPath)), [loader])) {
    const target = module.resolveImport(file, call.receiver.text);
    if (target?.kind === 'module') found.push({ dir: target.dir, line: call.receiver.line });
  }
  const dirs = [...new Set(found.map((f) => f.dir))];
  if (dirs.length !== 1)
    throw new ContractsError(
      ContractsErrorCode.GoSource,
      dirs.length === 0
        ? `${mainPath} calls no <package>.${loader}(…) of the module`
        : `${mainPath} calls ${loader} of several packages (${dirs.join(', ')}); say which one loads the config`,
    );
  const dir = dirs[0]!;
  const fn = module
    .package(dir)
    .files.flatMap((f) => f.functions.map((decl) => ({ f, decl })))
    .find((x) => x.decl.name === loader);
  const result = fn?.decl.results[0];
  const base = result?.kind === 'pointer' ? result.elem : result;
  if (!fn || base?.kind !== 'named' || base.qualifier !== undefined)
    throw new ContractsError(
      ContractsErrorCode.GoSource,
      `${dir}.${loader} ${fn ? `returns ${result ? formatType(result) : 'nothing'}, not a struct of its package` : 'does not exist'}`,
    );
  const type = module.findType(dir, base.name);
  if (!type) throw new ContractsError(ContractsErrorCode.GoSource, `no type ${base.name} in ${dir}`);
  return {
    dir,
    typeName: base.name,
    typeAt: `${type.file.path}:${type.decl.line}`,
    at: `${mainPath}:${found[0]!.line}`,
  };
}
