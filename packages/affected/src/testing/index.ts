/**
 * @kubernaut-e2e/affected/testing — the synthetic history the package's tests and `pnpm bench:affected` replay when no
 * kubernaut clone is given: a small Go module (three services over shared packages) committed change by change, each
 * commit with the suites it must select.
 */
export {
  createSyntheticHistory,
  SYNTHETIC_COMMITS,
  SYNTHETIC_MODULE,
  SYNTHETIC_SUITES,
  type SyntheticCommit,
  type SyntheticHistory,
  syntheticServices,
} from './synthetic-history.js';
