/**
 * @kubernaut-e2e/core/testing — test helpers only (imports vitest). `ScriptedRunner` replaces the
 * process boundary in unit tests; `describeWithBinaries` guards integration tests that need real tools.
 */

export {
  type BinariesContext,
  describeWithBinaries,
  missingBinariesMessage,
} from './describe-with-binaries.js';
export {
  type ExactExpectation,
  type PredicateExpectation,
  type ScriptedCall,
  type ScriptedExpectation,
  type ScriptedLine,
  type ScriptedResponse,
  ScriptedRunner,
  ScriptedRunningCommand,
} from './scripted-runner.js';
