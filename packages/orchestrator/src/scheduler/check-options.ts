import { ConfigError, type ConfigIssue } from '@kubernaut-e2e/core';
import type { RunPlanOptions } from './options.js';

/** Rejects nonsensical limits, retry policies and timeouts before anything runs. */
export function checkRunOptions(options: RunPlanOptions): void {
  const issues: ConfigIssue[] = [];
  for (const [resource, limit] of Object.entries(options.limits ?? {})) {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      issues.push({ path: `limits.${resource}`, message: `must be a whole number ≥ 1; got ${limit}` });
    }
  }
  for (const [kind, policy] of Object.entries(options.retry ?? {})) {
    if (!policy) continue;
    if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
      issues.push({
        path: `retry.${kind}.attempts`,
        message: `must be a whole number ≥ 1; got ${policy.attempts}`,
      });
    }
    if (!(policy.backoffMs >= 0)) {
      issues.push({ path: `retry.${kind}.backoffMs`, message: `must be ≥ 0; got ${policy.backoffMs}` });
    }
  }
  for (const [kind, ms] of Object.entries(options.stepTimeoutMs ?? {})) {
    if (ms !== undefined && !(ms > 0))
      issues.push({ path: `stepTimeoutMs.${kind}`, message: `must be > 0; got ${ms}` });
  }
  if (options.abortGraceMs !== undefined && !(options.abortGraceMs >= 0)) {
    issues.push({ path: 'abortGraceMs', message: `must be ≥ 0; got ${options.abortGraceMs}` });
  }
  if (
    options.loadBatching !== undefined &&
    !['all-runnable', 'fill-free-slots'].includes(options.loadBatching)
  ) {
    issues.push({
      path: 'loadBatching',
      message: `must be all-runnable or fill-free-slots; got ${JSON.stringify(options.loadBatching)}`,
    });
  }
  if (options.keep !== undefined && !['never', 'on-failure', 'always'].includes(options.keep)) {
    issues.push({
      path: 'keep',
      message: `must be never, on-failure or always; got ${JSON.stringify(options.keep)}`,
    });
  }
  if (issues.length) throw new ConfigError(issues, { subject: 'run options' });
}
