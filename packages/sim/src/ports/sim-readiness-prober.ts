import type { OperationContext, Probe, ReadinessOptions, ReadinessProber } from '@kubernaut-e2e/core';
import { ConfigError, NotReadyError } from '@kubernaut-e2e/core';
import { reach } from '../world/routing.js';
import type { SimWorld } from '../world/sim-world.js';

function endpointOf(probe: Probe): { host: string; port: number; label: string } {
  if (probe.kind === 'tcp') {
    if (!Number.isInteger(probe.port) || probe.port < 1 || probe.port > 65535) {
      throw ConfigError.field('probe.port', `port must be 1–65535, got ${probe.port}`, 'readiness probe');
    }
    return { host: probe.host, port: probe.port, label: `tcp ${probe.host}:${probe.port}` };
  }
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    throw ConfigError.field(
      'probe.url',
      `"${probe.url}" is not a URL; use e.g. http://localhost:8080/health`,
      'readiness probe',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw ConfigError.field(
      'probe.url',
      `only http:// and https:// URLs can be probed, got "${probe.url}"`,
      'readiness probe',
    );
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname, port, label: `GET ${probe.url}` };
}

/**
 * `ReadinessProber` for simulated endpoints: a probe of `localhost:<port>` is routed through a
 * port-forward or through the cluster config's `extraPortMappings` (hostPort → containerPort) to the
 * Service with that nodePort and the Deployments it selects. It waits on the virtual clock — waking
 * exactly when a rollout behind the endpoint completes, else every `intervalMs` — and raises
 * `NotReadyError` with the last observation at the deadline.
 */
export class SimReadinessProber implements ReadinessProber {
  constructor(private readonly world: SimWorld) {}

  async waitUntilReady(probe: Probe, options: ReadinessOptions, ctx?: OperationContext): Promise<void> {
    const { host, port, label } = endpointOf(probe);
    const interval = Math.max(1, options.intervalMs ?? 1_000);
    const argv =
      probe.kind === 'http' ? ['curl', '--fail', '--silent', probe.url] : ['nc', '-z', host, String(port)];
    await this.world.operate(
      'probe',
      [probe.kind === 'http' ? probe.url : `${host}:${port}`, `${host}:${port}`, String(port)],
      {
        argv,
        failure: ['curl: (22) The requested URL returned error: 503'],
        transientFailure: ['curl: (56) Recv failure: Connection reset by peer'],
      },
      ctx,
      async () => {
        const deadline = this.world.now() + options.timeoutMs;
        for (;;) {
          const now = this.world.now();
          const seen = reach(this.world, host, port);
          if (seen.ready) return;
          if (now >= deadline) throw new NotReadyError(label, seen.observation);
          const wake = Math.min(
            deadline,
            now + interval,
            seen.readyAt !== undefined && seen.readyAt > now ? seen.readyAt : Number.POSITIVE_INFINITY,
          );
          await this.world.sleep(wake - now, ctx);
        }
      },
    );
  }
}
