/**
 * @kubernaut-e2e/affected — which E2E suites a change can break (Go import graphs, Dockerfiles and each suite's
 * declaration, read without a Go toolchain), and how to spread the affected suites over CI machines.
 */
export type {
  AffectedAnalysis,
  AffectedReason,
  ChangedFileVerdict,
  SuiteVerdict,
} from './affected.js';
export type { SuiteDeclaration } from './analyze-tree.js';
export { predictSetupTimes } from './ci/predict-setup.js';
export { assignShards, githubMatrix, makespanOf, type Shard, type SuiteCost } from './ci/shards.js';
export { readTestTimes } from './ci/test-times.js';
export {
  type AffectedReport,
  DEFAULT_SINCE_REFS,
  type FindAffectedOptions,
  findAffectedSuites,
} from './find-affected.js';
export { formatAffectedReport, formatMs, formatShards } from './format.js';
export { KUBERNAUT_TEST_LAYOUT, type TestLayout } from './inputs/suite-inputs.js';
export { analyzeAtCommit, type ReplayedCommit, type ReplayOptions, replayHistory } from './replay.js';
