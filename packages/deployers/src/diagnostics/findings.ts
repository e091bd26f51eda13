/** What kind of problem a finding reports; stable, for programs that act on findings. */
export type FindingKind =
  | 'image-not-loaded'
  | 'crash-loop'
  | 'readiness-probe'
  | 'volume-mount'
  | 'container-config'
  | 'pod-create-failed'
  | 'unschedulable'
  | 'migration'
  | 'node-not-ready'
  | 'api-server-unresponsive'
  | 'not-ready';

/** One cause of a failed run, said in plain words about a named object. */
export interface Finding {
  readonly kind: FindingKind;
  /** The object it is about, e.g. `pod/gateway-6f9c7b8d5-x2x7q`, `migration 00002_add_index.sql`. */
  readonly subject: string;
  /** One sentence saying what is wrong and, where it is clear, what to do. */
  readonly summary: string;
  /** The evidence: last log lines, the probe's response, what the nodes hold. */
  readonly details: readonly string[];
}
