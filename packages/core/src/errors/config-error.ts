import { ErrorCode, KubernautError } from './kubernaut-error.js';

export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `images[0].dockerfilePath`. */
  readonly path: string;
  readonly message: string;
}

/** Bad input, detected before any command ran. */
export class ConfigError extends KubernautError {
  readonly code = ErrorCode.Config;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown; subject?: string }) {
    const subject = options?.subject ? `Invalid ${options.subject}` : 'Invalid configuration';
    const lines = issues.map((i) => `  ✖ ${i.message}${i.path ? `\n    → at ${i.path}` : ''}`);
    super(`${subject}:\n${lines.join('\n')}`, { cause: options?.cause });
    this.issues = issues;
  }

  /** Shorthand for a single bad field. */
  static field(path: string, message: string, subject?: string): ConfigError {
    return new ConfigError([{ path, message }], subject === undefined ? undefined : { subject });
  }
}
