/** Stable codes of the errors this package raises. Never renamed: callers match on them. */
export const ContractsErrorCode = {
  /** The Go source is missing or cannot be read as the reader expects (a file, a package, a type). */
  GoSource: 'KC_GO_SOURCE',
  /** kubernaut changed under a recorded fact: a quoted line is gone, or a curated key no longer exists. */
  Drift: 'KC_DRIFT',
  /** The recorder was called wrongly (no checkout given, an unknown binary). */
  Usage: 'KC_USAGE',
  /** A facts file is missing or is not what the recorder writes. */
  Facts: 'KC_FACTS',
} as const;
export type ContractsErrorCode = (typeof ContractsErrorCode)[keyof typeof ContractsErrorCode];

export class ContractsError extends Error {
  constructor(
    readonly code: ContractsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ContractsError';
  }
}

/** One fact that no longer holds in the checkout, with what a human should look at. */
export interface DriftProblem {
  /** What the fact is about: `required datastorage.url`, `port health`. */
  readonly fact: string;
  /** Where it was recorded (`file:line`). */
  readonly at: string;
  readonly message: string;
}

/** Recording stopped because kubernaut changed under one or more facts; every problem is listed. */
export class DriftError extends ContractsError {
  constructor(
    readonly binary: string,
    readonly problems: readonly DriftProblem[],
  ) {
    const lines = problems.map((p) => `  ✖ ${p.fact} (${p.at}): ${p.message}`);
    super(
      ContractsErrorCode.Drift,
      `kubernaut changed under ${problems.length} recorded fact(s) of ${binary}; a human must look at the source ` +
        `and update src/record/curated/${binary}.ts:\n${lines.join('\n')}`,
    );
  }
}
