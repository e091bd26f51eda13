export {
  type CheckOptions,
  checkConfigAgainstFacts,
  checkConfigYaml,
  type Issue,
} from './check/check-config.js';
export { checkPort, checkProbePort, type EffectivePort, effectivePort } from './check/ports.js';
export { ContractsError, ContractsErrorCode, DriftError, type DriftProblem } from './errors.js';
export { FACTS_DIR, loadFacts } from './facts/load.js';
export {
  BINARIES,
  type Binary,
  type BinaryFacts,
  type Citation,
  type KeyFact,
  type KeyKind,
  type PortFact,
  type PortRole,
  type RequiredKey,
} from './facts/types.js';
