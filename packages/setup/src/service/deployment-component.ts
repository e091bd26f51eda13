import type { KubeObject, Probe } from '@kubernaut-e2e/core';
import { type ProbeOptions, serviceManifests } from '@kubernaut-e2e/deployers';
import type { DeployComponent } from '@kubernaut-e2e/orchestrator';
import type { Located } from './compose.js';
import { renderFiles } from './render-content.js';
import { type DeploymentSpec, nodePortsOf, type ProbeSpec, publishedIn } from './spec/deployment.js';
import type { RunContext } from './spec/run-context.js';

/** How long a rollout or readiness probe may take before its step fails with what was still not ready. */
export const DEFAULT_READY_TIMEOUT_MS = 180_000;

const evaluate = <T>(value: T | ((run: RunContext) => T) | undefined, run: RunContext): T | undefined =>
  typeof value === 'function' ? (value as (run: RunContext) => T)(run) : value;

/** A probe as the deployers take it; an HTTP probe of a port that serves TLS is made over HTTPS. */
function probeOptions(probe: ProbeSpec, ports: DeploymentSpec['ports']): ProbeOptions {
  const timings = {
    ...(probe.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: probe.initialDelaySeconds }),
    ...(probe.periodSeconds === undefined ? {} : { periodSeconds: probe.periodSeconds }),
    ...(probe.timeoutSeconds === undefined ? {} : { timeoutSeconds: probe.timeoutSeconds }),
    ...(probe.failureThreshold === undefined ? {} : { failureThreshold: probe.failureThreshold }),
  };
  if ('exec' in probe) return { type: 'exec', command: probe.exec, ...timings };
  return probe.path === undefined
    ? { type: 'tcp', port: probe.port, ...timings }
    : {
        type: 'http',
        path: probe.path,
        port: probe.port,
        ...(ports.find((p) => p.name === probe.port)?.tls ? { scheme: 'HTTPS' as const } : {}),
        ...timings,
      };
}

/**
 * Where the run checks from this machine that the component answers: the readiness probe's port when it is published
 * (an HTTP GET of its path, or a TCP connect for a TLS port or a probe without a path), else none (the rollout waits
 * for the kubelet's own readiness probe).
 */
function hostProbe(d: DeploymentSpec, run: RunContext): Probe | undefined {
  const readiness = d.probes?.readiness;
  if (!readiness || 'exec' in readiness) return undefined;
  const published = publishedIn(d, run.hostPorts).find((p) => p.port === readiness.port);
  if (!published) return undefined;
  const hostPort = run.hostPorts[published.hostPort]!;
  const tls = d.ports.find((p) => p.name === readiness.port)?.tls ?? false;
  return readiness.path === undefined || tls
    ? { kind: 'tcp', host: 'localhost', port: hostPort }
    : { kind: 'http', url: `http://localhost:${hostPort}${readiness.path}` };
}

/**
 * A deployment as a deploy step: its config-file ConfigMaps, ServiceAccount and RBAC, Service and Deployment
 * (`@kubernaut-e2e/deployers`' service manifests), ready once rolled out and, when its readiness port is published,
 * answering from this machine. Everything that depends on the run is rendered now, before anything runs.
 */
export function deploymentComponent(
  { value: d, at }: Located<DeploymentSpec>,
  run: RunContext,
): DeployComponent {
  const { namespace } = run;
  const configMaps: KubeObject[] = (d.configFiles ?? []).map((file, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: file.name,
      namespace,
      labels: { app: d.id, 'app.kubernetes.io/managed-by': 'kubernaut-e2e' },
    },
    data: renderFiles(file.files, `${at}.configFiles[${i}]`, run),
  }));
  const env = evaluate(d.env, run) ?? {};
  const command = evaluate(d.command, run);
  const args = evaluate(d.args, run);
  const nodePorts = nodePortsOf(d, run.hostPorts, run.nodePorts);
  const hasRbac =
    d.rules !== undefined || d.clusterRules !== undefined || d.clusterRoleBindings !== undefined;
  const options = {
    name: d.id,
    namespace,
    ...(d.serviceName ? { serviceName: d.serviceName } : {}),
    ports: d.ports.map(({ name, port, containerPort }) => ({
      name,
      port,
      ...(containerPort ? { containerPort } : {}),
    })),
    ...(d.containerName ? { containerName: d.containerName } : {}),
    ...(Object.keys(nodePorts).length > 0 ? { nodePorts } : {}),
    env: { ...(d.fieldEnv?.POD_NAMESPACE ? {} : { POD_NAMESPACE: namespace }), ...env },
    ...(d.fieldEnv ? { fieldEnv: d.fieldEnv } : {}),
    ...(d.secretEnv ? { secretEnv: d.secretEnv } : {}),
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    volumes: [
      ...(d.configFiles ?? []).map((file) => ({
        name: file.name,
        mountPath: file.mountPath,
        source: { configMap: file.name },
      })),
      ...(d.volumes ?? []),
    ],
    probes: {
      ...(d.probes?.readiness ? { readiness: probeOptions(d.probes.readiness, d.ports) } : {}),
      ...(d.probes?.liveness ? { liveness: probeOptions(d.probes.liveness, d.ports) } : {}),
    },
    ...(hasRbac
      ? {
          serviceAccount: {
            name: d.serviceAccount ?? d.id,
            rules: d.rules ?? [],
            clusterRules: d.clusterRules ?? [],
            clusterRoleBindings: d.clusterRoleBindings ?? [],
          },
        }
      : d.serviceAccount
        ? { serviceAccountName: d.serviceAccount }
        : {}),
    ...(d.resources ? { resources: d.resources } : {}),
    coverage: run.coverage,
  };
  const probe = hostProbe(d, run);
  return {
    id: d.id,
    kind: 'deploy',
    images: [d.image],
    dependsOn: [...(d.dependsOn ?? [])],
    manifests: (refs) => [...configMaps, ...serviceManifests({ ...options, image: refs[d.image]! })],
    rollout: [`deployment/${d.id}`],
    rolloutTimeoutMs: DEFAULT_READY_TIMEOUT_MS,
    ...(d.failAfterRestarts === undefined ? {} : { failAfterRestarts: d.failAfterRestarts }),
    ...(probe
      ? {
          readiness: {
            probe,
            options: { timeoutMs: DEFAULT_READY_TIMEOUT_MS, intervalMs: 1000, attemptTimeoutMs: 3000 },
          },
        }
      : {}),
  };
}
