import { CancelledError, type CommandRunner, type ContainerEngine, pushByTagging } from '@kubernaut-e2e/core';
import { isLoopbackRegistry } from '../loopback-registry.js';
import { DAEMON_ENDPOINT_ARGS, parseDaemonSocket } from './daemon-endpoint.js';
import { createDockerEngineApi, type DockerEngineApi } from './engine-api-client.js';

/**
 * docker's `pushAs` and `preparePush`. docker cannot push an image under another name, so the CLI way is three
 * processes (`tag`, `push`, `rmi` of the extra name), and on a small machine their starts cost more than the
 * upload of a one-layer change. So for a registry on this machine (kind's local registry: plain HTTP, no
 * credentials) the three calls go to the daemon's Engine API on its unix socket instead, from this process.
 * The CLI stays the way for everything else — a daemon reached over TCP or SSH, a remote registry whose
 * credentials only the CLI resolves — and for a loopback push the API refused (say, one that wants a login).
 */
export function dockerPush(
  runner: CommandRunner,
  binary: string,
  cli: Pick<ContainerEngine, 'tag' | 'push' | 'removeImage'>,
): Required<Pick<ContainerEngine, 'pushAs' | 'preparePush'>> {
  let api: Promise<DockerEngineApi | undefined> | undefined;
  // Asked of the CLI once per engine: the socket it would use, for the environment the runner gives it.
  const engineApi = () =>
    (api ??= runner.run(binary, [...DAEMON_ENDPOINT_ARGS], { logSource: 'docker', timeoutMs: 10_000 }).then(
      ({ stdout }) => {
        const socket = parseDaemonSocket(stdout);
        return socket === undefined ? undefined : createDockerEngineApi(socket);
      },
      () => undefined,
    ));

  return {
    async preparePush() {
      await engineApi();
    },
    async pushAs(sourceRef, targetRef, ctx) {
      const client = isLoopbackRegistry(targetRef) && targetRef !== sourceRef ? await engineApi() : undefined;
      if (client) {
        try {
          await pushByTagging(client, sourceRef, targetRef, ctx);
          return;
        } catch (error) {
          if (error instanceof CancelledError) throw error;
          ctx?.log?.({
            source: ctx.logSource ?? 'docker',
            stream: 'info',
            text: `${error instanceof Error ? error.message : String(error)}; pushing with the docker CLI instead`,
            at: Date.now(),
          });
        }
      }
      await pushByTagging(cli, sourceRef, targetRef, ctx);
    },
  };
}
