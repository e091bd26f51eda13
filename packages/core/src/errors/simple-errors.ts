import { ErrorCode, KubernautError } from './kubernaut-error.js';

/** A required binary is not on PATH (or is too old). */
export class ToolNotFoundError extends KubernautError {
  readonly code = ErrorCode.ToolNotFound;
  constructor(
    readonly tool: string,
    readonly installHint: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(`${options?.detail ?? `\`${tool}\` was not found on PATH`}. ${installHint}`, options);
  }
}

/** An operation exceeded its deadline. */
export class TimeoutError extends KubernautError {
  readonly code = ErrorCode.Timeout;
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown; transient?: boolean },
  ) {
    super(`${operation} did not finish within ${timeoutMs} ms`, options);
  }
}

/** The run was cancelled (SIGINT, an AbortSignal, or a sibling step's failure). */
export class CancelledError extends KubernautError {
  readonly code = ErrorCode.Cancelled;
  constructor(reason = 'the operation was cancelled', options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/** Something was deployed but never became ready. Says what was still waiting and the last thing seen. */
export class NotReadyError extends KubernautError {
  readonly code = ErrorCode.NotReady;
  constructor(
    readonly target: string,
    readonly lastObservation: string,
    options?: { cause?: unknown; transient?: boolean },
  ) {
    super(`${target} was not ready in time; last seen: ${lastObservation}`, options);
  }
}

/**
 * A pod of something being rolled out is in a state it cannot leave on its own (an image never pulled, a crash loop, a
 * missing config key): the wait stopped at once instead of at its deadline. The message is the recognised cause and
 * the container's last log lines.
 */
export class PodFailedError extends KubernautError {
  readonly code = ErrorCode.PodFailed;
  constructor(
    /** What was being waited for, e.g. `deployment/datastorage in namespace notification-e2e`. */
    readonly target: string,
    readonly pod: string,
    readonly container: string,
    /** The kubelet's reason, e.g. `CrashLoopBackOff`, `ErrImageNeverPull`, `CreateContainerConfigError`. */
    readonly reason: string,
    /** The recognised cause in plain words (the sentence diagnostics print for it). */
    readonly recognisedCause: string,
    /** The container's last log lines, when they tell why (a crash). */
    readonly logLines: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(
      `${target} cannot become ready: pod/${pod}: ${recognisedCause}${logLines.map((l) => `\n    log: ${l}`).join('')}`,
      options,
    );
  }
}

/** The step graph is invalid (cycle, dangling dependency, image without a build). */
export class PlanError extends KubernautError {
  readonly code = ErrorCode.Plan;
}

/** A step of a run failed; `cause` is the underlying error. */
export class StepError extends KubernautError {
  readonly code = ErrorCode.Step;
  constructor(
    readonly stepId: string,
    cause: unknown,
    options?: { attempts?: number },
  ) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(
      `step ${stepId} failed${options?.attempts && options.attempts > 1 ? ` after ${options.attempts} attempts` : ''}: ${inner}`,
      { cause },
    );
  }
}

/**
 * A tool printed (or a file kubernaut-e2e keeps holds) something that is not in the format expected: `crictl images
 * -o json` that is not JSON, an image inspect of another shape, a run ledger file cut short. Names what was read and
 * the start of what it said; usually a tool version this code does not know, or a file another program wrote.
 */
export class OutputFormatError extends KubernautError {
  readonly code = ErrorCode.OutputFormat;
  constructor(
    /** What was read, e.g. `` `crictl images -o json` output `` or `run ledger /…/runs/x.json`. */
    readonly source: string,
    /** What is wrong with it. */
    readonly problem: string,
    /** The start of what was read (at most 200 characters), when it helps to see it. */
    readonly excerpt?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${source} ${problem}${excerpt === undefined ? '' : `: ${JSON.stringify(excerpt.slice(0, 200))}`}`,
      options,
    );
  }
}
