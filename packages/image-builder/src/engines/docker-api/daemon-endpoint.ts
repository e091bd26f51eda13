/**
 * Argv (after the binary) asking the docker CLI which daemon it talks to. The CLI is the one that knows: it
 * resolves `DOCKER_HOST`, `DOCKER_CONTEXT` and the config's current context, in its own order, from the
 * environment the runner gives it — so the answer always names the daemon the engine's other commands reach.
 */
export const DAEMON_ENDPOINT_ARGS = ['context', 'inspect', '--format', '{{json .Endpoints.docker}}'] as const;

/**
 * The unix socket path in the output of {@link DAEMON_ENDPOINT_ARGS} (`{"Host":"unix:///var/run/docker.sock",…}`),
 * or `undefined` for any other daemon address (`tcp://`, `ssh://`, `npipe://`) or output: those need the CLI's
 * TLS and SSH handling, so the engine keeps to the CLI for them.
 */
export function parseDaemonSocket(stdout: string): string | undefined {
  let endpoint: unknown;
  try {
    endpoint = JSON.parse(stdout.trim());
  } catch {
    return undefined;
  }
  const host = (endpoint as { Host?: unknown } | null)?.Host;
  if (typeof host !== 'string' || !host.startsWith('unix://')) return undefined;
  const path = host.slice('unix://'.length);
  return path.startsWith('/') ? path : undefined;
}
