/** Stable error codes. Never renamed: users match on them. */
export const ErrorCode = {
  Config: 'KE_CONFIG',
  Command: 'KE_COMMAND',
  Timeout: 'KE_TIMEOUT',
  ToolNotFound: 'KE_TOOL_NOT_FOUND',
  Cancelled: 'KE_CANCELLED',
  NotReady: 'KE_NOT_READY',
  PodFailed: 'KE_POD_FAILED',
  Plan: 'KE_PLAN',
  Step: 'KE_STEP',
  ImageStore: 'KE_IMAGE_STORE',
  OutputFormat: 'KE_OUTPUT_FORMAT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base of every error kubernaut-e2e raises on purpose. `code` is stable; `message` says what to do. */
export abstract class KubernautError extends Error {
  abstract readonly code: ErrorCode;
  /** True when retrying the same operation may succeed (a step's retry policy reads this). */
  readonly transient: boolean;

  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.transient = options?.transient ?? false;
  }
}

export function isKubernautError(error: unknown): error is KubernautError {
  return error instanceof KubernautError;
}
