/**
 * @kubernaut-e2e/orchestrator/internal — what only the sibling packages of kubernaut-e2e use. Not a public API: it may
 * change in any release.
 */
export { DEFAULT_ROLLOUT_TIMEOUT_MS, waitForRollouts } from './handlers/wait-for-rollouts.js';
