import { z } from 'zod';

/** Every operation the simulator can inject a fault into. */
export const simOperations = [
  'build',
  'save',
  'push',
  'remove-image',
  'cluster-create',
  'cluster-delete',
  'load',
  'apply',
  'rollout',
  'wait',
  'exec',
  'port-forward',
  'patch',
  'migrate',
  'probe',
  'export-logs',
  'get',
  'logs',
  'scale',
  'copy',
  /**
   * The containers of a Deployment (target: its name): `fail` makes its pods crash-loop (the `message`
   * is their last log line), `hang` keeps them running but never ready (the message is the readiness
   * probe's failure). Checked when a rollout starts; `failTransient` crashes that many rollouts.
   */
  'container',
  /**
   * An image a load reports as loaded that is not on the nodes afterwards (target: its reference or its name, e.g.
   * `datastorage`): `fail` drops it right after the load — a load into another cluster, the node's image garbage
   * collection. Pods that run it never start (`ErrImageNeverPull`, or `ImagePullBackOff` for a `localhost/` image).
   */
  'node-image',
] as const;
export type SimOperation = (typeof simOperations)[number];

const common = {
  op: z.enum(simOperations),
  /**
   * Which call to hit; every call of `op` when omitted. Matched exactly against the names the operation
   * is about: a build's service name, image name or ref; a cluster name; a load's cluster, refs or their
   * service names; a Deployment name or `deployment/<name>`; a migration's database or directory; a
   * probe's URL or `host:port`.
   */
  target: z.string().min(1).optional(),
  /** Replaces the simulated tool's error output. */
  message: z.string().min(1).optional(),
  /** Virtual time the operation runs before the fault strikes (default 0: at once). */
  afterMs: z.number().int().min(0).optional(),
};

/** One fault: `fail` every time, `failTransient: N` times then succeed, or `hang` until aborted. */
export const faultRuleSchema = z.union([
  z.strictObject({ ...common, fail: z.literal(true) }),
  z.strictObject({ ...common, failTransient: z.number().int().min(1) }),
  z.strictObject({ ...common, hang: z.literal(true) }),
]);
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** Faults to inject, checked in order; the first matching rule that is not used up applies. */
export const faultPlanSchema = z.array(faultRuleSchema);
export type FaultPlan = readonly FaultRule[];

export type FaultAction =
  | { readonly kind: 'fail'; readonly transient: boolean; readonly rule: FaultRule; readonly attempt: number }
  | { readonly kind: 'hang'; readonly rule: FaultRule };

/** Decides, per call, whether a fault of the plan strikes. Keeps the count of transient failures. */
export class FaultInjector {
  readonly #rules: readonly FaultRule[];
  readonly #failures = new Map<FaultRule, number>();

  constructor(plan: FaultPlan = []) {
    this.#rules = plan;
  }

  get rules(): readonly FaultRule[] {
    return this.#rules;
  }

  /** The fault for one call of `op` about `subjects`, or `undefined` when it should run normally. */
  next(op: SimOperation, subjects: readonly string[]): FaultAction | undefined {
    for (const rule of this.#rules) {
      if (rule.op !== op) continue;
      if (rule.target !== undefined && !subjects.includes(rule.target)) continue;
      if ('hang' in rule) return { kind: 'hang', rule };
      const count = (this.#failures.get(rule) ?? 0) + 1;
      if ('failTransient' in rule) {
        if (count > rule.failTransient) continue; // used up: the call succeeds (or a later rule applies)
        this.#failures.set(rule, count);
        return { kind: 'fail', transient: true, rule, attempt: count };
      }
      this.#failures.set(rule, count);
      return { kind: 'fail', transient: false, rule, attempt: count };
    }
    return undefined;
  }
}
