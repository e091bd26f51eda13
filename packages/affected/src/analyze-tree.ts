import type { Service } from '@kubernaut-e2e/setup';
import { type AffectedAnalysis, analyzeAffected, type ChangeForEverySuite } from './affected.js';
import { GoPackageGraph, type GoParseCache } from './go/go-packages.js';
import { KUBERNAUT_TEST_LAYOUT, suiteInputs, type TestLayout } from './inputs/suite-inputs.js';
import type { SourceTree } from './tree/source-tree.js';

/** The suites to consider: their names and declarations (what `defineService` returns). */
export type SuiteDeclaration = Pick<Service, 'name' | 'spec'>;

export interface TreeAnalysisOptions {
  readonly layout?: TestLayout;
  /** Kind config overrides by suite (the project config's `overrides.<suite>.kindConfig`). */
  readonly kindConfigs?: Readonly<Record<string, string | false | undefined>>;
  /** Parsed Go files by blob id, reused across the commits of a replay. */
  readonly goCache?: GoParseCache;
}

/** The suites a set of changed files (project-relative) can break, with the inputs read from `tree`. */
export async function analyzeTree(
  tree: SourceTree,
  suites: readonly SuiteDeclaration[],
  changed: readonly string[],
  everySuite: readonly ChangeForEverySuite[],
  options: TreeAnalysisOptions = {},
): Promise<AffectedAnalysis> {
  const layout = options.layout ?? KUBERNAUT_TEST_LAYOUT;
  const testDirs = [...suites.map((s) => layout.suiteDir(s.name)), ...layout.sharedDirs];
  const graph = await GoPackageGraph.load(tree, {
    testDirs,
    ...(options.goCache !== undefined ? { cache: options.goCache } : {}),
  });
  const inputs = await Promise.all(
    suites.map((suite) =>
      suiteInputs(suite, tree, graph, {
        layout,
        ...(options.kindConfigs?.[suite.name] !== undefined
          ? { kindConfig: options.kindConfigs[suite.name] }
          : {}),
      }),
    ),
  );
  return analyzeAffected({ suites: inputs, graph, changed, everySuite });
}
