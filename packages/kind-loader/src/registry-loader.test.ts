import { createServer, type Server } from 'node:http';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createDockerEngine, createPodmanEngine } from '@kubernaut-e2e/image-builder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryImageLoader } from './registry-loader.js';

/*
 * The engine is played at the process boundary (podman argv); the registry is a real HTTP server that answers the
 * manifest request the way a distribution registry does, holding what each test puts in `held`.
 */
const REF = 'localhost/kubernaut/gateway:gateway-e2e-0123456789abcdef';
const CONFIG = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

let server: Server;
let port: number;
let held: Map<string, string>;
let requests: string[];
beforeEach(async () => {
  held = new Map();
  requests = [];
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const digest = held.get(request.url ?? '');
    if (digest === undefined) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      .end(JSON.stringify({ schemaVersion: 2, config: { digest, size: 300 }, layers: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = () => `localhost:${port}/kubernaut/gateway:gateway-e2e-0123456789abcdef`;
const manifestPath = '/v2/kubernaut/gateway/manifests/gateway-e2e-0123456789abcdef';
const inspect = (id: string) => ({
  argv: ['podman', 'image', 'inspect', REF],
  stdout: JSON.stringify([{ Id: id.replace('sha256:', ''), RepoTags: [REF], Labels: {} }]),
});
// podman pushes under the registry name in one command, adding no local name.
const pushes = () => [{ argv: ['podman', 'push', '--tls-verify=false', REF, target()] }];

describe('createRegistryImageLoader', () => {
  it('pushes an image the registry does not hold, without inspecting it first', async () => {
    const runner = new ScriptedRunner(pushes());
    const loader = createRegistryImageLoader({
      engine: createPodmanEngine(runner),
      registry: `localhost:${port}`,
    });
    const report = await loader.load([REF], 'any');
    expect(report).toEqual({ loaded: [REF], skipped: [], podRefs: { [REF]: target() } });
    expect(requests).toEqual([`GET ${manifestPath}`]);
    runner.assertAllUsed();
  });

  it('does not push an image the registry holds with the same config digest (the image ID)', async () => {
    held.set(manifestPath, CONFIG);
    const runner = new ScriptedRunner([inspect(CONFIG)]);
    const loader = createRegistryImageLoader({
      engine: createPodmanEngine(runner),
      registry: `localhost:${port}`,
    });
    const report = await loader.load([REF], 'any');
    expect(report).toEqual({ loaded: [], skipped: [REF], podRefs: { [REF]: target() } });
    runner.assertAllUsed();
  });

  it('compares with the image ID the build reported instead of starting an inspect process', async () => {
    held.set(manifestPath, CONFIG);
    const runner = new ScriptedRunner([]);
    const loader = createRegistryImageLoader({
      engine: createPodmanEngine(runner),
      registry: `localhost:${port}`,
    });
    const report = await loader.load([REF], 'any', undefined, { imageIds: { [REF]: CONFIG.slice(7) } });
    expect(report.skipped).toEqual([REF]);
    expect(runner.calls).toEqual([]);
    // A rebuilt image (another ID than the registry's) is pushed.
    const pushing = new ScriptedRunner(pushes());
    const again = createRegistryImageLoader({
      engine: createPodmanEngine(pushing),
      registry: `localhost:${port}`,
    });
    expect((await again.load([REF], 'any', undefined, { imageIds: { [REF]: OTHER } })).loaded).toEqual([REF]);
    pushing.assertAllUsed();
  });

  it('pushes when the registry holds another image under the same name (a rebuilt fixed tag)', async () => {
    held.set(manifestPath, OTHER);
    const runner = new ScriptedRunner([inspect(CONFIG), ...pushes()]);
    const loader = createRegistryImageLoader({
      engine: createPodmanEngine(runner),
      registry: `localhost:${port}`,
    });
    expect((await loader.load([REF], 'any')).loaded).toEqual([REF]);
    runner.assertAllUsed();
  });

  it('pushes when the registry cannot be asked (the push then says what is wrong)', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const runner = new ScriptedRunner([
      {
        argv: ['podman', 'push', '--tls-verify=false', REF, target()],
        exitCode: 125,
        stderr: `Error: trying to reuse blob: connect: connection refused`,
      },
    ]);
    const loader = createRegistryImageLoader({
      engine: createPodmanEngine(runner),
      registry: `localhost:${port}`,
    });
    const error = await loader.load([REF], 'any').catch((e: unknown) => e);
    expect((error as Error).message).toContain(`pushing image ${REF} to registry localhost:${port}`);
    runner.assertAllUsed();
    server = createServer().listen(0); // afterEach closes a server
  });
  it('runs overlapping pushes one after the other, so a shared base layer is uploaded once (docker over TCP: tag, push, untag)', async () => {
    const gatewayRef = 'kubernaut/gateway:gateway-e2e-0123456789abcdef';
    const other = 'kubernaut/worker:worker-e2e-0123456789abcdef';
    const otherTarget = `localhost:${port}/kubernaut/worker:worker-e2e-0123456789abcdef`;
    const runner = new ScriptedRunner([
      // A daemon reached over TCP: the pushes go through the CLI.
      {
        argv: ['docker', 'context', 'inspect', '--format', '{{json .Endpoints.docker}}'],
        stdout: '{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}',
      },
      { argv: ['docker', 'tag', gatewayRef, target()] },
      // The gateway's upload is still running…
      { argv: ['docker', 'push', target()], hang: true },
      // …and when it is cancelled, its extra name is removed all the same.
      { argv: ['docker', 'rmi', target()] },
      { argv: ['docker', 'tag', other, otherTarget] },
      { argv: ['docker', 'push', otherTarget] },
      { argv: ['docker', 'rmi', otherTarget] },
    ]);
    const loader = createRegistryImageLoader({
      engine: createDockerEngine(runner),
      registry: `localhost:${port}`,
    });
    const stopGateway = new AbortController();
    // The plan's push steps call the loader once per image, concurrently.
    const gateway = loader.load([gatewayRef], 'any', { signal: stopGateway.signal }).catch((e: unknown) => e);
    await runner.waitForCall(['docker', 'push', target()]);
    const worker = loader.load([other], 'any');
    // …when the worker's turn would come: it has asked the registry, and waits instead of pushing alongside.
    while (requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runner.argvs.some((argv) => argv.includes(otherTarget))).toBe(false);

    stopGateway.abort();
    expect(await gateway).toBeInstanceOf(Error);
    expect((await worker).loaded).toEqual([other]);
    const order = runner.argvs.slice(1).map((argv) =>
      argv
        .slice(1, 2)
        .concat(argv.at(-1)!.includes('worker') ? 'worker' : 'gateway')
        .join(' '),
    );
    expect(order).toEqual([
      'tag gateway',
      'push gateway',
      'rmi gateway',
      'tag worker',
      'push worker',
      'rmi worker',
    ]);
  });
});
