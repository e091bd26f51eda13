import { normalizeImageRef } from '@kubernaut-e2e/core';
import { crashCause, IMAGE_PULL_REASONS, imageCause } from '@kubernaut-e2e/core/internal';
import {
  containerConfigFinding,
  mountFindings,
  probeErrorFinding,
  replicaSetFindings,
} from './diagnose-references.js';
import type { Finding } from './findings.js';
import type { ContainerStatusInfo, EventInfo, NodeInfo, PodInfo } from './kube-status.js';

/** What the pod findings are computed from: parsed kubectl JSON and the crashed containers' logs. */
export interface PodEvidence {
  readonly pods: readonly PodInfo[];
  readonly events: readonly EventInfo[];
  readonly nodes: readonly NodeInfo[];
  /** The previous (crashed) instance's log per `<pod>/<container>`. */
  readonly previousLogs?: Readonly<Record<string, string>>;
}

/** Log lines shown for a crash loop: enough to see the fatal message, few enough to read at a glance. */
const CRASH_LOG_LINES = 5;

function normalise(ref: string): string {
  try {
    return normalizeImageRef(ref);
  } catch {
    return ref;
  }
}

/** `localhost/kubernaut/gateway:x` → `localhost/kubernaut/gateway` (digest and tag dropped). */
function repositoryOf(ref: string): string {
  const name = ref.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** "the nodes hold …": the same repository under other tags, or that they hold none of it. */
function nodeHoldings(image: string, nodes: readonly NodeInfo[]): string {
  if (nodes.length === 0) return 'the nodes could not be listed, so what they hold is unknown';
  const wanted = normalise(image);
  const repository = repositoryOf(wanted);
  const held = [...new Set(nodes.flatMap((n) => n.images).map(normalise))];
  if (held.includes(wanted)) return `the nodes do hold ${wanted}; check the pod's imagePullPolicy`;
  const sameRepository = held.filter((ref) => !ref.includes('@') && repositoryOf(ref) === repository);
  return sameRepository.length > 0
    ? `the nodes hold ${sameRepository.join(', ')} — the same image under another tag, so the deployment names a tag that was never loaded`
    : `the nodes hold no image of ${repository} (${held.filter((r) => !r.includes('@')).length} other images)`;
}

function eventsAbout(events: readonly EventInfo[], pod: string, reasons: readonly string[]): EventInfo[] {
  return events.filter((e) => e.objectName === pod && reasons.includes(e.reason));
}

function imageFinding(pod: PodInfo, c: ContainerStatusInfo, evidence: PodEvidence): Finding {
  const pullError = eventsAbout(evidence.events, pod.name, ['Failed']).find((e) =>
    e.message.startsWith('Failed to pull image'),
  );
  return {
    kind: 'image-not-loaded',
    subject: `pod/${pod.name}`,
    summary: imageCause(c),
    details: [
      nodeHoldings(c.image, evidence.nodes),
      ...(c.waiting?.message ? [`kubelet: ${c.waiting.message}`] : []),
      ...(pullError ? [`kubelet: ${pullError.message}`] : []),
    ],
  };
}

function crashFinding(pod: PodInfo, c: ContainerStatusInfo, evidence: PodEvidence): Finding {
  const log = evidence.previousLogs?.[`${pod.name}/${c.name}`] ?? '';
  const lines = log
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-CRASH_LOG_LINES);
  return {
    kind: 'crash-loop',
    subject: `pod/${pod.name}`,
    summary: crashCause(c),
    details: lines.length > 0 ? lines.map((l) => `log: ${l}`) : ['the crashed instance left no log'],
  };
}

function readinessFinding(pod: PodInfo, c: ContainerStatusInfo, evidence: PodEvidence): Finding | undefined {
  const failures = eventsAbout(evidence.events, pod.name, ['Unhealthy']).filter((e) =>
    e.message.startsWith('Readiness probe failed'),
  );
  const last = failures.at(-1);
  if (!last) return undefined;
  const times = failures.reduce((n, e) => n + e.count, 0);
  const response = last.message.replace(/^Readiness probe failed:\s*/, '');
  return {
    kind: 'readiness-probe',
    subject: `pod/${pod.name}`,
    summary: `container ${c.name} runs but its readiness probe${c.readinessUrl ? ` GET ${c.readinessUrl}` : ''} keeps failing (${times} time${times === 1 ? '' : 's'}): ${response}`,
    details: [],
  };
}

function unschedulableFinding(pod: PodInfo, evidence: PodEvidence): Finding | undefined {
  const condition = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const event = eventsAbout(evidence.events, pod.name, ['FailedScheduling']).at(-1);
  const message = event?.message ?? condition?.message;
  if (pod.phase !== 'Pending' || (!condition && !event) || !message) return undefined;
  return {
    kind: 'unschedulable',
    subject: `pod/${pod.name}`,
    summary: `the scheduler cannot place the pod on any node: ${message}`,
    details: [],
  };
}

/**
 * Findings about the pods of the run's namespace and the cluster's nodes: images that were never loaded,
 * crash loops (with the last log lines), failing readiness probes (with the URL and the response) or
 * probes that cannot run (a port the container does not declare), unschedulable pods (with the
 * scheduler's message), ConfigMaps, Secrets and keys a volume or the environment needs that do not exist,
 * ReplicaSets that cannot create pods (a missing ServiceAccount), nodes that are not Ready or under
 * pressure.
 */
export function diagnosePods(evidence: PodEvidence): Finding[] {
  const findings: Finding[] = [];
  for (const pod of evidence.pods) {
    const unschedulable = unschedulableFinding(pod, evidence);
    if (unschedulable) {
      findings.push(unschedulable);
      continue;
    }
    findings.push(...mountFindings(pod, evidence.events));
    for (const c of pod.containers) {
      const waiting = c.waiting?.reason;
      if (waiting && IMAGE_PULL_REASONS.has(waiting)) findings.push(imageFinding(pod, c, evidence));
      else if (waiting === 'CrashLoopBackOff') findings.push(crashFinding(pod, c, evidence));
      else if (waiting === 'CreateContainerConfigError') findings.push(containerConfigFinding(pod, c));
      else if (c.running && !c.ready && !c.init) {
        const readiness = probeErrorFinding(pod, c, evidence.events) ?? readinessFinding(pod, c, evidence);
        if (readiness) findings.push(readiness);
      }
    }
  }
  findings.push(...replicaSetFindings(evidence.pods, evidence.events));
  for (const node of evidence.nodes) {
    for (const condition of node.conditions) {
      const bad = condition.type === 'Ready' ? condition.status !== 'True' : condition.status === 'True';
      if (!bad) continue;
      findings.push({
        kind: 'node-not-ready',
        subject: `node/${node.name}`,
        summary: `node condition ${condition.type} is ${condition.status}${condition.reason ? ` (${condition.reason})` : ''}${condition.message ? `: ${condition.message}` : ''}`,
        details: [],
      });
    }
  }
  return findings;
}
