import {
  type CommandRunner,
  type KubeObject,
  type LogSink,
  NotReadyError,
  type OperationContext,
  type RunOptions,
} from '@kubernaut-e2e/core';

/**
 * What one run does on a shared, existing cluster beyond the `KubeClient` port: forward a fixed local port (the
 * host ports a suite's endpoints name) to a Service of the run's namespace, and delete exactly what the run
 * created. Every command names the user's kubeconfig and the context, never the current context.
 */
export interface ExistingClusterRunOps {
  /**
   * `kubectl port-forward -n <namespace> <target> <localPort>:<remotePort> --address 127.0.0.1`; resolves once
   * kubectl prints that it is forwarding. Why a fixed port: a suite reaches its endpoints on the host ports the
   * setup options name, as it does through kind's port mappings.
   */
  forwardPort(
    namespace: string,
    target: string,
    localPort: number,
    remotePort: number,
    ctx?: OperationContext,
  ): Promise<{ close(): Promise<void> }>;
  /**
   * Deletes the run's cluster-scoped objects (never CRDs: see `sharedClusterObjects`), then its namespace with
   * everything in it, and waits until they are gone. Objects already gone are fine (`--ignore-not-found`).
   */
  deleteRunObjects(
    namespace: string,
    clusterScoped: readonly KubeObject[],
    ctx?: OperationContext,
  ): Promise<void>;
}

const FORWARDING = /^Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/;
const FORWARD_READY_TIMEOUT_MS = 30_000;
const DELETE_TIMEOUT_S = 300;

/** `clusterrole.rbac.authorization.k8s.io/<name>`: kind and API group, so kubectl never guesses the resource. */
export function resourceOf(object: KubeObject): string {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  return `${object.kind.toLowerCase()}${group ? `.${group}` : ''}/${object.metadata.name}`;
}

export function existingClusterRunOps(options: {
  readonly runner: CommandRunner;
  readonly kubeconfigPath: string;
  readonly context: string;
  readonly kubectlBinary?: string;
  readonly log?: LogSink;
}): ExistingClusterRunOps {
  const kubectl = options.kubectlBinary ?? 'kubectl';
  const base = ['--kubeconfig', options.kubeconfigPath, '--context', options.context];
  const runOptions = (ctx?: OperationContext): RunOptions => {
    const log = ctx?.log ?? options.log;
    return {
      ...(log ? { log } : {}),
      logSource: ctx?.logSource ?? 'kubectl',
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
    };
  };
  return {
    async forwardPort(namespace, target, localPort, remotePort, ctx) {
      const running = options.runner.start(
        kubectl,
        [
          ...base,
          'port-forward',
          '-n',
          namespace,
          target,
          `${localPort}:${remotePort}`,
          '--address',
          '127.0.0.1',
        ],
        runOptions(ctx),
      );
      // A forward that ends later (pod restarted, close()) must not become an unhandled rejection.
      running.done.catch(() => {});
      try {
        await running.waitForLine(FORWARDING, FORWARD_READY_TIMEOUT_MS);
      } catch (error) {
        await running.stop();
        throw new NotReadyError(
          `port-forward 127.0.0.1:${localPort} → ${target}:${remotePort} in namespace ${namespace}`,
          `kubectl did not report forwarding within ${FORWARD_READY_TIMEOUT_MS} ms (is host port ${localPort} free?)`,
          { cause: error },
        );
      }
      return { close: () => running.stop() };
    },

    async deleteRunObjects(namespace, clusterScoped, ctx) {
      const refs = [...new Set(clusterScoped.map(resourceOf))];
      const wait = ['--ignore-not-found', `--timeout=${DELETE_TIMEOUT_S}s`];
      if (refs.length > 0)
        await options.runner.run(kubectl, [...base, 'delete', ...refs, ...wait], runOptions(ctx));
      await options.runner.run(
        kubectl,
        [...base, 'delete', 'namespace', namespace, ...wait],
        runOptions(ctx),
      );
    },
  };
}
