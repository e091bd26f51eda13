import { ContextSelection } from '@kubernaut-e2e/image-builder';
import { type GoClosure, GoPackageGraph } from './go/go-packages.js';
import { inertKind } from './inputs/inert-files.js';
import type { SuiteInputs } from './inputs/suite-inputs.js';
import { dirOf, isAtOrBelow } from './tree/source-tree.js';

/** Why a suite is affected: the first changed file that reaches it (in path order), and how. */
export interface AffectedReason {
  /** The changed file; absent when the reason is what the analysis could not read (`uncertain`). */
  readonly file?: string;
  readonly why: string;
}

export interface SuiteVerdict {
  readonly name: string;
  readonly affected: boolean;
  readonly reason?: AffectedReason;
  /** How many of the changed files reach it. */
  readonly changedInputs: number;
}

/** One changed file: the suites it reaches and why (the first suite's reason), or why it reaches none. */
export interface ChangedFileVerdict {
  readonly file: string;
  readonly suites: readonly string[];
  readonly why: string;
  /** True when no suite declares the file and it is not Go code, documentation or tooling: it reaches every suite. */
  readonly unplaced?: true;
}

export interface AffectedAnalysis {
  /** Every suite, in the order given. */
  readonly suites: readonly SuiteVerdict[];
  readonly files: readonly ChangedFileVerdict[];
  /** Assumptions and gaps of the analysis (which binary an image holds, a missing test directory…). */
  readonly notes: readonly string[];
}

/** A change that reaches every suite whatever it is, e.g. the project config, with the reason. */
export interface ChangeForEverySuite {
  readonly file: string;
  readonly why: string;
}

const GO_MODULE_FILES = new Set(['go.mod', 'go.sum']);

/**
 * Which suites `changed` (project-relative paths, sorted) can break. A suite is affected when a changed file is one
 * of its inputs: a path it declares or its Dockerfiles copy, a Go file of a package it compiles (an image's binary,
 * or its own tests, `_test.go` files included), a file one of those packages embeds, go.mod/go.sum. A changed file
 * that reaches no suite and is not Go code, documentation or tooling configuration cannot be placed: it reaches every
 * suite. A suite whose inputs could not all be read (an unresolved import, a missing Dockerfile) is affected by any
 * change.
 */
export function analyzeAffected(input: {
  readonly suites: readonly SuiteInputs[];
  readonly graph: GoPackageGraph;
  readonly changed: readonly string[];
  readonly everySuite?: readonly ChangeForEverySuite[];
}): AffectedAnalysis {
  const { graph } = input;
  const models = input.suites.map((suite) => suiteModel(suite, graph));
  const reasons = new Map<string, AffectedReason>();
  const counts = new Map<string, number>(input.suites.map((s) => [s.name, 0]));
  const files: ChangedFileVerdict[] = [];
  const reach = (suite: string, reason: AffectedReason) => {
    if (!reasons.has(suite)) reasons.set(suite, reason);
    counts.set(suite, (counts.get(suite) ?? 0) + 1);
  };

  for (const { file, why } of input.everySuite ?? []) {
    for (const model of models) reach(model.name, { file, why });
    files.push({ file, suites: models.map((m) => m.name), why });
  }
  for (const file of input.changed) {
    const reached: { suite: string; why: string; catchAll: boolean }[] = [];
    for (const model of models) {
      const hit = model.reaches(file);
      if (hit !== undefined) reached.push({ suite: model.name, ...hit });
    }
    for (const { suite, why } of reached) reach(suite, { file, why });
    // A file only a whole build context reaches (a Dockerfile this reading cannot follow) is not placed by it.
    if (reached.some((r) => !r.catchAll)) {
      files.push({ file, suites: reached.map((r) => r.suite), why: reached.find((r) => !r.catchAll)!.why });
      continue;
    }
    const placed = placeElsewhere(file, graph);
    if (placed !== undefined) {
      files.push({ file, suites: reached.map((r) => r.suite), why: reached[0]?.why ?? placed });
      continue;
    }
    const why = file.startsWith('.github/workflows/')
      ? 'a CI workflow: it decides how the suites run (tools, versions, environment)'
      : 'no suite declares it and it is neither Go code nor documentation: a suite’s Go test code may read it at run time';
    for (const model of models)
      if (!reached.some((r) => r.suite === model.name)) reach(model.name, { file, why });
    files.push({ file, suites: models.map((m) => m.name), why, unplaced: true });
  }
  const anyChange = input.changed.length > 0 || (input.everySuite ?? []).length > 0;
  if (anyChange)
    for (const model of models)
      if (model.uncertain.length > 0 && !reasons.has(model.name))
        reasons.set(model.name, { why: `${model.uncertain[0]}: any change may reach it` });

  return {
    suites: input.suites.map((suite) => {
      const reason = reasons.get(suite.name);
      return {
        name: suite.name,
        affected: reason !== undefined,
        ...(reason !== undefined ? { reason } : {}),
        changedInputs: counts.get(suite.name) ?? 0,
      };
    }),
    files,
    notes: [...new Set(models.flatMap((m) => [...m.notes, ...m.uncertain]))],
  };
}

/** Why a file no suite reads is known not to matter, or undefined when it cannot be placed. */
function placeElsewhere(file: string, graph: GoPackageGraph): string | undefined {
  const inert = inertKind(file);
  if (inert !== undefined) return inert;
  if (file.endsWith('.go') || GoPackageGraph.isOtherSource(file)) {
    const nested = graph.nestedModules.find((m) => isAtOrBelow(file, m));
    if (nested !== undefined) return `Go code of another module (${nested}/go.mod), which no suite builds`;
    if (file.endsWith('_test.go'))
      return 'a Go test file of a package no suite tests: compiled into no suite';
    const dir = dirOf(file);
    return `Go package ${dir === '' ? '(module root)' : dir}, which no suite compiles`;
  }
  return undefined;
}

interface SuiteModel {
  readonly name: string;
  readonly notes: readonly string[];
  readonly uncertain: readonly string[];
  /** Why `file` is an input of the suite (and whether only a whole build context takes it), or undefined. */
  reaches(file: string): { why: string; catchAll: boolean } | undefined;
}

function suiteModel(suite: SuiteInputs, graph: GoPackageGraph): SuiteModel {
  const paths = suite.paths.map((input) => ({ ...input, selection: selection(input.pattern) }));
  const uncertain = [...suite.uncertain];
  const rootWhy = new Map<string, string>();
  const withTests = new Set<string>();
  const roots: string[] = [];
  for (const root of suite.goRoots) {
    const dirs = expandRoot(root.dir, graph);
    if (dirs.length === 0) uncertain.push(`${root.why}: ${root.dir} is not a Go package of this tree`);
    for (const dir of dirs) {
      if (!rootWhy.has(dir)) rootWhy.set(dir, root.why);
      if (root.withTests) withTests.add(dir);
      roots.push(dir);
    }
  }
  if (roots.length > 0 && graph.goMod?.module === undefined)
    uncertain.push('there is no go.mod with a module line, so Go imports cannot be followed');
  const closure: GoClosure = graph.closure(roots, withTests);
  for (const { importer, importPath, why } of closure.unresolved)
    uncertain.push(`${importer} imports ${importPath}: ${why}`);
  const embeds = [...closure.packages.keys()].flatMap((dir) =>
    (graph.packages.get(dir)?.embeds ?? []).map((pattern) => ({ dir, selection: selection(pattern) })),
  );
  const explain = (dir: string) => {
    const reached = closure.packages.get(dir)!;
    const chain = GoPackageGraph.chain(closure, dir);
    return `${rootWhy.get(reached.root)}${chain.length > 1 ? `: ${chain.join(' → ')}` : ''}`;
  };
  const usesGo = roots.length > 0;

  return {
    name: suite.name,
    notes: suite.notes,
    uncertain,
    reaches(file) {
      let catchAll: string | undefined;
      for (const input of paths) {
        if (!input.selection(file)) continue;
        if (input.catchAll !== true) return { why: input.why, catchAll: false };
        catchAll ??= input.why;
      }
      const specific = (why: string) => ({ why, catchAll: false });
      const pkg = file.endsWith('.go')
        ? graph.packageOf(file)
        : GoPackageGraph.isOtherSource(file)
          ? dirOf(file)
          : undefined;
      if (
        pkg !== undefined &&
        closure.packages.has(pkg) &&
        (!file.endsWith('_test.go') || withTests.has(pkg))
      )
        return specific(`Go package ${pkg === '' ? '(module root)' : pkg}, compiled into ${explain(pkg)}`);
      for (const embed of embeds)
        if (embed.selection(file))
          return specific(
            `embedded by Go package ${embed.dir} (//go:embed), compiled into ${explain(embed.dir)}`,
          );
      if (usesGo && GO_MODULE_FILES.has(file))
        return specific('the Go module’s dependencies (go.mod/go.sum), which every Go build reads');
      return catchAll === undefined ? undefined : { why: catchAll, catchAll: true };
    },
  };
}

/** A root as package directories: `dir` itself, or every package at or below it for `dir/...`. */
function expandRoot(dir: string, graph: GoPackageGraph): string[] {
  if (dir === '...' || dir.endsWith('/...')) {
    const base = dir === '...' ? '' : dir.slice(0, -4);
    return [...graph.packages.keys()].filter((d) => isAtOrBelow(d, base));
  }
  return graph.packages.has(dir) ? [dir] : [];
}

/** A path or docker glob pattern: true for the paths it matches and everything below them; `''` is everything. */
function selection(pattern: string): (path: string) => boolean {
  if (pattern === '' || pattern === '.') return () => true;
  if (!/[*?[\\]/.test(pattern)) return (path) => isAtOrBelow(path, pattern);
  const glob = new ContextSelection([pattern]);
  return (path) => glob.includes(path);
}
