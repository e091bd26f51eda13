import { diagnoseStepError, type FailedStep } from './diagnose-error.js';
import { diagnosePods } from './diagnose-pods.js';
import type { Finding } from './findings.js';
import { parseEventList, parseNodeList, parsePodList } from './kube-status.js';

/** What `diagnose` reads: kubectl's JSON as it printed it, and the failed step. All optional. */
export interface DiagnoseInput {
  /** `kubectl get pods -n <namespace> -o json`. */
  readonly pods?: unknown;
  /** `kubectl get events -n <namespace> -o json`. */
  readonly events?: unknown;
  /** `kubectl get nodes -o json` (conditions, and the images the nodes hold). */
  readonly nodes?: unknown;
  /** The previous (crashed) instance's log per `<pod>/<container>`. */
  readonly previousLogs?: Readonly<Record<string, string>>;
  readonly failedStep?: FailedStep;
}

/**
 * The causes of a failed run, in plain words, each naming its object. Pure: it reads parsed kubectl
 * output and the failed step's error, so it is tested on recorded output. The failed step's own causes
 * come first (they are what stopped the run), then the pods', then the nodes'.
 */
export function diagnose(input: DiagnoseInput): Finding[] {
  const fromStep = input.failedStep ? diagnoseStepError(input.failedStep) : [];
  const fromPods = diagnosePods({
    pods: parsePodList(input.pods),
    events: parseEventList(input.events),
    nodes: parseNodeList(input.nodes),
    ...(input.previousLogs ? { previousLogs: input.previousLogs } : {}),
  });
  const seen = new Set<string>();
  return [...fromStep, ...fromPods].filter((f) => {
    const key = `${f.kind} ${f.subject} ${f.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
