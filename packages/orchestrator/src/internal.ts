/**
 * @kubernaut-e2e/orchestrator/internal — what only the sibling packages of kubernaut-e2e use. Not a public API: it may
 * change in any release.
 */
export {
  DEFAULT_FAIL_AFTER_RESTARTS,
  DEFAULT_POD_POLL_MS,
  DEFAULT_ROLLOUT_TIMEOUT_MS,
  type RolloutWatch,
  waitForRollouts,
} from './handlers/wait-for-rollouts.js';
