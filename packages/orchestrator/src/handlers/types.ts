import type { LogSink, OperationContext, Toolchain } from '@kubernaut-e2e/core';
import type {
  ApplyStep,
  BuildStep,
  CreateClusterStep,
  DeployStep,
  InstallCrdsStep,
  LoadStep,
  MigrateStep,
  NamespaceStep,
  TeardownStep,
  WaitReadyStep,
} from '../plan/types.js';
import type { PodWatchOptions } from '../scheduler/options.js';
import type { RunState } from '../scheduler/run-state.js';

/** What a handler gets besides its step: the ports, the run's shared state, cancellation and logging. */
export interface HandlerContext extends OperationContext {
  readonly signal: AbortSignal;
  readonly log: LogSink;
  readonly logSource: string;
  readonly toolchain: Toolchain;
  readonly state: RunState;
  /** How rollout waits watch their pods (`RunPlanOptions.podWatch`). */
  readonly podWatch?: PodWatchOptions;
  /** Extra run options a finalizer needs. */
  readonly logsDir?: string;
  /** Attaches a short remark to the step's trace entry (e.g. `cached`). */
  note(text: string): void;
}

/** One function per step kind. Loads receive every step of their batch (one archive). */
export interface StepHandlers {
  readonly build: (step: BuildStep, ctx: HandlerContext) => Promise<void>;
  readonly 'create-cluster': (step: CreateClusterStep, ctx: HandlerContext) => Promise<void>;
  readonly 'install-crds': (step: InstallCrdsStep, ctx: HandlerContext) => Promise<void>;
  readonly namespace: (step: NamespaceStep, ctx: HandlerContext) => Promise<void>;
  readonly load: (steps: readonly LoadStep[], ctx: HandlerContext) => Promise<void>;
  readonly deploy: (step: DeployStep, ctx: HandlerContext) => Promise<void>;
  readonly 'wait-ready': (step: WaitReadyStep, ctx: HandlerContext) => Promise<void>;
  readonly migrate: (step: MigrateStep, ctx: HandlerContext) => Promise<void>;
  /** `manifests` and `seed` steps. */
  readonly apply: (step: ApplyStep, ctx: HandlerContext) => Promise<void>;
  readonly teardown: (step: TeardownStep, ctx: HandlerContext) => Promise<void>;
}
