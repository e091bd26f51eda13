import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { treeBytes } from '@kubernaut-e2e/bench-support';
import { type CommandRunner, createCommandRunner, type RunningCommand } from '@kubernaut-e2e/core';

/*
 * A registry of the test's own: Debian's `docker-registry` (the CNCF distribution registry 2.8) serving plain
 * HTTP on a free loopback port, its storage in a fresh temp directory. It stands in for kind's `kind-registry`
 * container (`registry:2`, the same program), which a test machine cannot run without a kind network.
 */

export interface LocalRegistry {
  /** `localhost:<port>`: what image references start with, e.g. `localhost:41234/kubernaut/gateway:e2e-1a2b`. */
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the endpoint a containerd `hosts.toml` names. */
  readonly endpoint: string;
  readonly dir: string;
  /** Repositories the registry holds (`GET /v2/_catalog`). */
  catalog(): Promise<string[]>;
  /** Bytes of every blob stored so far (layers, configs, manifests): what pushes have uploaded in total. */
  storedBytes(): Promise<number>;
  /** Stops the registry and removes its storage. Idempotent. */
  stop(): Promise<void>;
}

export interface LocalRegistryOptions {
  readonly runner?: CommandRunner;
  readonly binary?: string;
  readonly readyTimeoutMs?: number;
}

/** A TCP port nobody listens on right now (the kernel picks it; the registry binds it next). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function configYaml(dir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    // A fixed secret silences the "generated random secret" warning; uploads never span two instances here.
    '  secret: kubernaut-e2e-test-harness',
    '',
  ].join('\n');
}

/** Starts `docker-registry serve` and resolves once `GET /v2/` answers 200. */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const runner = options.runner ?? createCommandRunner();
  const dir = await mkdtemp(join(tmpdir(), 'ke2e-registry-'));
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  await writeFile(join(dir, 'config.yml'), configYaml(dir, port));
  let daemon: RunningCommand | undefined;
  const stop = async () => {
    await daemon?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    daemon = runner.start(options.binary ?? 'docker-registry', ['serve', join(dir, 'config.yml')]);
    daemon.done.catch(() => undefined);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (;;) {
      const ok = await fetch(`${endpoint}/v2/`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${endpoint} in time`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    host: `localhost:${port}`,
    port,
    endpoint,
    dir,
    async catalog() {
      const body = (await (await fetch(`${endpoint}/v2/_catalog`)).json()) as { repositories?: string[] };
      return body.repositories ?? [];
    },
    storedBytes: () => treeBytes(join(dir, 'data', 'docker', 'registry', 'v2', 'blobs')),
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
