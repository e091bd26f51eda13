/**
 * `@kubernaut-e2e/orchestrator/patterns`: the pattern names alone, for code that validates a `--pattern` or an
 * option before (or without) loading the planner and the scheduler.
 */
export { PATTERNS, type Pattern } from './plan/types.js';
