import { request } from 'node:http';
import { CancelledError, type OperationContext } from '@kubernaut-e2e/core';

/** A request to the Docker Engine API that failed: the request, the HTTP status and the daemon's own message. */
export class DockerApiError extends Error {
  constructor(
    readonly request: string,
    readonly status: number | undefined,
    readonly daemonMessage: string,
  ) {
    super(`docker Engine API \`${request}\` failed${status ? ` (HTTP ${status})` : ''}: ${daemonMessage}`);
    this.name = 'DockerApiError';
  }
}

/**
 * The three image calls registry mode needs, made in this process instead of three `docker` processes — in the
 * engine's own shape, so that core's `pushByTagging` drives them as it drives the CLI's.
 */
export interface DockerEngineApi {
  /** `docker tag source target`. */
  tag(sourceRef: string, targetRef: string, ctx?: OperationContext): Promise<void>;
  /** `docker push target` with no credentials (a registry that takes none, such as kind's local one). */
  push(targetRef: string, ctx?: OperationContext): Promise<void>;
  /** `docker rmi target`: removes that name; the image stays while it has others. Already gone is fine. */
  removeImage(ref: string, ctx?: OperationContext): Promise<void>;
}

/** `repo[:tag]` → repo and tag (`latest` when none); a port's colon is not a tag's. */
export function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repo: ref, tag: 'latest' };
}

/**
 * The failure in a push's progress stream. The Engine API answers a push with HTTP 200 and reports a failure
 * as an `{"errorDetail":{"message":…},"error":…}` line in the stream; `undefined` when there is none.
 */
export function pushStreamError(body: string): string | undefined {
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    let message: { error?: unknown; errorDetail?: { message?: unknown } };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue;
    }
    const text = message.errorDetail?.message ?? message.error;
    if (text !== undefined) return String(text);
  }
  return undefined;
}

/**
 * A client for the Docker Engine API on the daemon's unix socket. Paths carry no API version, so the daemon
 * serves its own: these three calls have not changed since API 1.24, and a fixed version would be refused by
 * daemons older or (since Engine 29 raised its minimum) newer than it.
 */
export function createDockerEngineApi(socketPath: string): DockerEngineApi {
  function call(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<{ status: number; body: string }> {
    const what = shown(method, path);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError(`cancelled before ${what}`));
        return;
      }
      // One way to fail, whether the connection breaks before the answer or while it streams (a push's progress).
      const fail = (error: Error) =>
        reject(
          signal?.aborted
            ? new CancelledError(`cancelled during ${what}`, { cause: error })
            : new DockerApiError(what, undefined, error.message),
        );
      const req = request(
        { socketPath, method, path, headers, ...(signal ? { signal } : {}) },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          response.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end();
    });
  }
  const shown = (method: string, path: string) => `${method} ${decodeURIComponent(path)}`;
  const image = (ref: string) => `/images/${encodeURIComponent(ref)}`;
  const daemonMessage = (body: string) => {
    try {
      return String((JSON.parse(body) as { message?: unknown }).message ?? body.trim());
    } catch {
      return body.trim();
    }
  };
  return {
    async tag(sourceRef, targetRef, ctx) {
      const { repo, tag } = splitTag(targetRef);
      const path = `${image(sourceRef)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`;
      const { status, body } = await call('POST', path, {}, ctx?.signal);
      if (status !== 201 && status !== 200)
        throw new DockerApiError(shown('POST', path), status, daemonMessage(body));
    },
    async push(targetRef, ctx) {
      const { repo, tag } = splitTag(targetRef);
      const path = `${image(repo)}/push?tag=${encodeURIComponent(tag)}`;
      // The header is required; `{}` is "no credentials".
      const auth = Buffer.from('{}').toString('base64');
      const { status, body } = await call('POST', path, { 'X-Registry-Auth': auth }, ctx?.signal);
      if (status !== 200) throw new DockerApiError(shown('POST', path), status, daemonMessage(body));
      const failure = pushStreamError(body);
      if (failure !== undefined) throw new DockerApiError(shown('POST', path), status, failure);
    },
    async removeImage(ref, ctx) {
      const { status, body } = await call('DELETE', image(ref), {}, ctx?.signal);
      if (status !== 200 && status !== 404)
        throw new DockerApiError(shown('DELETE', image(ref)), status, daemonMessage(body));
    },
  };
}
