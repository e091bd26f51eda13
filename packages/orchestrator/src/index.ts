/**
 * @kubernaut-e2e/orchestrator — turns a service declaration into one step graph (pattern `standard`,
 * `hybrid` or `dag`), runs it against the Toolchain ports with limits, fail-fast cancellation,
 * retries, timeouts and finalizers, and renders the run's trace as a Gantt chart, an HTML/SVG timeline
 * or a Chrome trace.
 */

/** The ports one run needs (defined in `@kubernaut-e2e/core`, with the ports it bundles). */
export type { Toolchain } from '@kubernaut-e2e/core';
// Benchmarks
export {
  BENCH_SCENARIOS,
  BENCH_TARGETS,
  type BenchOptions,
  type BenchRatios,
  type BenchReport,
  type BenchRow,
  BenchRunError,
  type BenchScenario,
  benchmarkPatterns,
} from './bench/benchmark-patterns.js';
export {
  benchmarkFailures,
  FAILURE_KINDS,
  type FailureKind,
  type FailureRow,
  type FailureScenario,
  failureScenarios,
} from './bench/failure-scenarios.js';
export { formatBenchmark, formatFailureBenchmark } from './bench/format-bench.js';
export { measureSchedulerOverhead, type OverheadReport, syntheticPlan } from './bench/scheduler-overhead.js';
// Declaration (the step graph's input, which services' declarations become)
export {
  type ApplyComponent,
  type BuiltImageDeclaration,
  type ComponentDeclaration,
  type DeployComponent,
  type ExternalImageDeclaration,
  type ImageDeclaration,
  isBuiltImage,
  type MigrateComponent,
  type ServiceDeclaration,
  type StepValues,
} from './declaration.js';
export { assertDeclarationShape, failAfterRestartsSchema } from './declaration-schema.js';
// Scheduler and step handlers
export {
  defaultHandlers,
  type HandlerContext,
  isObjectStep,
  type ObjectStep,
  objectsOfStep,
  type StepHandlers,
} from './handlers/index.js';
// Plan (pure)
export { type CriticalPath, criticalPath } from './plan/critical-path.js';
export { type PlanSetupOptions, planSetup, stepIds } from './plan/plan-setup.js';
export { type PlanStepSummary, planSummary, type RenderPlanOptions, renderPlan } from './plan/render-plan.js';
export {
  type BuildStep,
  type CreateClusterStep,
  type DeployStep,
  type InstallCrdsStep,
  type LoadStep,
  type MigrateStep,
  type NamespaceStep,
  PATTERNS,
  type Pattern,
  type Plan,
  type PlanStep,
  type StepKind,
  type StepResource,
  type TeardownStep,
  type WaitReadyStep,
} from './plan/types.js';
export { validatePlan } from './plan/validate.js';
export type {
  KeepPolicy,
  LoadBatching,
  PodWatchOptions,
  RetryPolicy,
  RunFailure,
  RunLedgerPort,
  RunOutputs,
  RunPlanOptions,
  RunResult,
} from './scheduler/options.js';
export { runPlan } from './scheduler/run-plan.js';
export type { RunCluster, RunState } from './scheduler/run-state.js';
// Trace outputs
export { durationsFromTrace, traceCriticalPath } from './trace/analysis.js';
export { type ChromeTrace, type ChromeTraceEvent, toChromeTrace } from './trace/chrome-trace.js';
export { formatDuration } from './trace/format.js';
export { type GanttOptions, renderGantt } from './trace/gantt.js';
export {
  KIND_COLOURS,
  renderTimelineHtml,
  renderTimelineSvg,
  type TimelineHtmlOptions,
} from './trace/timeline-html.js';
export type { Trace, TraceStep } from './trace/types.js';
