import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCommandRunner, type KubeObject } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { gatewayService } from '@kubernaut-e2e/gateway';
import { notificationService } from '@kubernaut-e2e/notification';
import { FIXTURE_PROJECT_ROOT, renderSetup, resolveSetup } from '@kubernaut-e2e/setup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeGoFixture } from '../../../services/fixture-project/hack/generate-go-fixture.mjs';
import { freePorts } from './support/gateway-world.js';

/*
 * The fixture project's Go servers (services/fixture-project/cmd, built with the local Go) started as the declarations
 * start them, without a cluster: `renderSetup` gives what `up` applies; each Deployment's ConfigMaps and Secrets are
 * written where its volumes mount them (under a scratch root, which its args, env and config files then name), and its
 * args and env are passed as the kubelet would. Only the listen addresses in the config files are moved to free
 * loopback ports, through the keys the binaries read (kubernaut's): servers share one machine here. What a real
 * cluster (.github/workflows/e2e-kind.yml) needs of them: they read — and require — the config the declaration mounts,
 * serve their probes on the port the Deployment probes, DataStorage serves HTTPS with the run's certificate for its
 * Service name and is ready only when its database and Redis answer, the auth webhook serves HTTPS only.
 */

const SERVICES = ['gateway', 'datastorage', 'notification', 'authwebhook'] as const;
type Binary = (typeof SERVICES)[number];

/** Each binary's listen-address keys (kubernaut's names), by the container port they default to. */
const ADDRESS_KEYS: Record<Binary, Record<number, (port: number) => [string, string | number][]>> = {
  gateway: {
    8080: (p) => [['server.listenAddr', `127.0.0.1:${p}`]],
    8081: (p) => [['server.healthAddr', `127.0.0.1:${p}`]],
    9090: (p) => [['server.metricsAddr', `127.0.0.1:${p}`]],
  },
  datastorage: {
    8080: (p) => [
      ['server.host', '127.0.0.1'],
      ['server.port', p],
    ],
    8081: (p) => [['server.healthPort', p]],
    9090: (p) => [['server.metricsPort', p]],
  },
  notification: {
    8081: (p) => [['controller.healthProbeAddr', `127.0.0.1:${p}`]],
    9090: (p) => [['controller.metricsAddr', `127.0.0.1:${p}`]],
  },
  authwebhook: {
    9443: (p) => [['webhook.port', p]],
    8081: (p) => [['webhook.healthProbeAddr', `127.0.0.1:${p}`]],
  },
};

interface Container {
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
}
interface KeySource {
  name?: string;
  secretName?: string;
  items?: { key: string; path: string }[];
}
interface Volume {
  name: string;
  configMap?: KeySource;
  secret?: KeySource;
  projected?: { sources: { configMap?: KeySource; secret?: KeySource }[] };
  emptyDir?: unknown;
  hostPath?: unknown;
}

/** A Deployment of a rendered setup, ready to start on this machine. */
interface Started {
  readonly objects: readonly KubeObject[];
  readonly container: Container;
  readonly root: string;
  /** Container port → the loopback port it listens on here. */
  readonly ports: Map<number, number>;
  readonly args: string[];
  readonly env: Record<string, string>;
}

describeWithBinaries(['go'], { go: 'golang-go' }, () => {
  const real = createCommandRunner();
  let work: string;
  let bin: string;
  const rendered = new Map<string, readonly KubeObject[]>();
  const children: ChildProcess[] = [];
  const listeners: Server[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kubernaut-fixture-servers-'));
    const source = join(work, 'src');
    for (const part of ['go.mod', 'pkg/shared', ...SERVICES.map((s) => `cmd/${s}`)])
      await cp(join(FIXTURE_PROJECT_ROOT, part), join(source, part), { recursive: true });
    writeGoFixture(source);
    bin = join(work, 'bin');
    await mkdir(bin);
    // A build cache of this run's own, removed with it.
    await real.run('go', ['build', '-o', `${bin}/`, ...SERVICES.map((s) => `./cmd/${s}`)], {
      cwd: source,
      env: { GOCACHE: join(work, 'gocache'), CGO_ENABLED: '0' },
      timeoutMs: 170_000,
    });
    const render = async (name: string, service: Parameters<typeof resolveSetup>[0]) => {
      const setup = await resolveSetup(service, {
        runtime: 'sim',
        env: {},
        projectRoot: FIXTURE_PROJECT_ROOT,
      });
      const { objects } = await renderSetup(setup, { showSecrets: true, env: {} });
      rendered.set(
        name,
        objects.map((o) => o.object),
      );
    };
    await render('gateway', gatewayService);
    await render('notification', notificationService);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(listeners.map((l) => new Promise((r) => l.close(r))));
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The Deployment of `service`'s render whose container runs `image`, set up under a scratch root. */
  async function prepare(service: string, deployment: string, binary: Binary): Promise<Started> {
    const objects = rendered.get(service)!;
    const find = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name);
    const spec = (find('Deployment', deployment)!.spec as { template: { spec: Record<string, unknown> } })
      .template.spec;
    const container = (spec.containers as Container[])[0]!;
    const volumes = (spec.volumes as Volume[] | undefined) ?? [];
    const root = join(work, `${service}-${deployment}-${randomBytes(3).toString('hex')}`);
    const mounts = (container.volumeMounts ?? []).map((m) => m.mountPath).sort((a, b) => b.length - a.length);
    const reroot = (text: string) =>
      mounts.reduce(
        (t, mountPath) =>
          t.replace(
            new RegExp(
              `(?<![\\w./-])${mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/"'\\s]|$)`,
              'gm',
            ),
            join(root, mountPath),
          ),
        text,
      );
    const ports = new Map<number, number>();
    const declared = (container.ports ?? []).map((p) => p.containerPort);
    const free = await freePorts(declared.length);
    for (const [i, port] of declared.entries()) ports.set(port, free[i]!);
    const moves = declared.flatMap((port) => ADDRESS_KEYS[binary][port]?.(ports.get(port)!) ?? []);

    // Files as the kubelet projects them: every key (or the listed items) of a ConfigMap or Secret.
    const write = async (mountPath: string, source: KeySource, kind: 'ConfigMap' | 'Secret') => {
      const object = find(kind, source.name ?? source.secretName!);
      if (!object) return;
      // A Secret's `data` is base64; its `stringData` (merged in by the API server) is text.
      const data: Record<string, string> = Object.fromEntries(
        Object.entries((object.data ?? {}) as Record<string, string>).map(([key, value]) => [
          key,
          kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value,
        ]),
      );
      Object.assign(data, (object.stringData ?? {}) as Record<string, string>);
      const entries = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const { key, path } of entries) {
        let text = data[key]!;
        if (kind === 'ConfigMap' && /\.ya?ml$/.test(key)) text = moveAddresses(reroot(text), moves);
        await mkdir(dirname(join(root, mountPath, path)), { recursive: true });
        await writeFile(join(root, mountPath, path), text);
      }
    };
    for (const mount of container.volumeMounts ?? []) {
      const volume = volumes.find((v) => v.name === mount.name)!;
      await mkdir(join(root, mount.mountPath), { recursive: true });
      if (volume.configMap) await write(mount.mountPath, volume.configMap, 'ConfigMap');
      if (volume.secret) await write(mount.mountPath, volume.secret, 'Secret');
      for (const s of volume.projected?.sources ?? []) {
        if (s.configMap) await write(mount.mountPath, s.configMap, 'ConfigMap');
        if (s.secret) await write(mount.mountPath, s.secret, 'Secret');
      }
    }
    const env = Object.fromEntries(
      (container.env ?? []).map((e) => [
        e.name,
        e.value === undefined ? 'from-the-api-server' : reroot(e.value),
      ]),
    );
    // The kubelet expands $(VAR) in args from the container's env.
    const args = [...(container.command?.slice(1) ?? []), ...(container.args ?? [])].map((a) =>
      reroot(a.replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? `$(${name})`)),
    );
    return { objects, container, root, ports, args, env };
  }

  function start(binary: Binary, started: Pick<Started, 'args' | 'env'>) {
    const child = spawn(join(bin, binary), started.args, {
      env: { PATH: process.env.PATH ?? '', ...started.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stderr })),
    );
    return { child, exited };
  }

  /** The Deployment's probe (readiness or liveness) asked where this machine's copy listens. */
  async function probe(s: Started, which: 'readinessProbe' | 'livenessProbe'): Promise<number> {
    const get = s.container[which]!.httpGet!;
    const containerPort =
      typeof get.port === 'number'
        ? get.port
        : s.container.ports!.find((p) => p.name === get.port)!.containerPort;
    return (await retryFetch(`http://127.0.0.1:${s.ports.get(containerPort)}${get.path}`)).status;
  }

  it('the gateway reads the config its Deployment mounts, answers its probes on its health port and not on its API port', async () => {
    const s = await prepare('gateway', 'gateway', 'gateway');
    expect(s.args).toEqual([`--config=${join(s.root, '/etc/gateway/config.yaml')}`]);
    // Without the ConfigMap mounted (the flag names a file that is not there) it does not start.
    await rm(join(s.root, 'etc/gateway'), { recursive: true });
    const missing = await start('gateway', s).exited;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(s.root, '/etc/gateway/config.yaml'));

    const ready = await prepare('gateway', 'gateway', 'gateway');
    const { child } = start('gateway', ready);
    expect(await probe(ready, 'readinessProbe')).toBe(200);
    expect(await probe(ready, 'livenessProbe')).toBe(200);
    expect((await retryFetch(`http://127.0.0.1:${ready.ports.get(8080)}/readyz`)).status).toBe(404);
    expect((await retryFetch(`http://127.0.0.1:${ready.ports.get(9090)}/metrics`)).status).toBe(200);
    child.kill();
  });

  it('DataStorage requires CONFIG_PATH and its signing pair, serves HTTPS with the run’s certificate for its Service name, and is ready once its database and Redis answer', async () => {
    const s = await prepare('gateway', 'datastorage', 'datastorage');
    expect(s.env.CONFIG_PATH).toBe(join(s.root, '/etc/datastorage/config.yaml'));
    const { CONFIG_PATH: _unset, ...withoutConfig } = s.env;
    const unset = await start('datastorage', { args: s.args, env: withoutConfig }).exited;
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('CONFIG_PATH');
    await rm(join(s.root, 'etc/signing-certs'), { recursive: true });
    const unsigned = await start('datastorage', s).exited;
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain(join(s.root, '/etc/signing-certs'));

    const ready = await prepare('gateway', 'datastorage', 'datastorage');
    // Its database and Redis, where the config says they are, do not answer yet.
    const config = join(ready.root, 'etc/datastorage/config.yaml');
    const [database, redis] = await freePorts(2);
    await writeFile(
      config,
      moveAddresses(await readFile(config, 'utf8'), [
        ['database.host', '127.0.0.1'],
        ['database.port', database!],
        ['redis.addr', `127.0.0.1:${redis}`],
      ]),
    );
    const { child } = start('datastorage', ready);
    expect(await probe(ready, 'livenessProbe')).toBe(200);
    const notReady = await retryFetch(`http://127.0.0.1:${ready.ports.get(8081)}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toMatch(/database: .*\n|redis: .*\n/);
    for (const port of [database!, redis!]) {
      const listener = createServer((c) => c.end());
      await new Promise<void>((r) => listener.listen(port, '127.0.0.1', r));
      listeners.push(listener);
    }
    expect(await probe(ready, 'readinessProbe')).toBe(200);
    // Its API over HTTPS, verified against the run's CA for the name its clients use.
    const ca = (
      ready.objects.find((o) => o.metadata.name === 'inter-service-ca')!.data as Record<string, string>
    )['ca.crt']!;
    const status = await httpsStatus(
      ready.ports.get(8080)!,
      '/readyz',
      ca,
      'data-storage-service.kubernaut-system.svc.cluster.local',
    );
    expect(status).toBe(200);
    await expect(httpsStatus(ready.ports.get(8080)!, '/readyz', ca, 'someone-else.example')).rejects.toThrow(
      /altnames|Hostname/,
    );
    child.kill();
  });

  it('the notification controller and the auth webhook start from their rendered configs: probes on the health port, the webhook over HTTPS only', async () => {
    const notification = await prepare('notification', 'notification-controller', 'notification');
    expect(notification.args).toEqual(['-config', join(notification.root, '/etc/notification/config.yaml')]);
    const controller = start('notification', notification);
    expect(await probe(notification, 'readinessProbe')).toBe(200);
    expect((await retryFetch(`http://127.0.0.1:${notification.ports.get(9090)}/metrics`)).status).toBe(200);
    controller.child.kill();

    const webhook = await prepare('notification', 'authwebhook', 'authwebhook');
    const server = start('authwebhook', webhook);
    expect(await probe(webhook, 'readinessProbe')).toBe(200);
    const ca = (
      webhook.objects.find((o) => o.metadata.name === 'inter-service-ca')!.data as Record<string, string>
    )['ca.crt']!;
    const namespace = webhook.objects.find((o) => o.kind === 'Namespace')!.metadata.name;
    // The webhook port answers TLS for the Service name (a path it does not serve is 404, after the handshake).
    expect(
      await httpsStatus(webhook.ports.get(9443)!, '/no-such-webhook', ca, `authwebhook.${namespace}.svc`),
    ).toBe(404);
    await expect(retryFetch(`http://127.0.0.1:${webhook.ports.get(9443)}/`, 3)).resolves.toMatchObject({
      status: 400,
    });
    server.child.kill();
    // Without its serving certificate it does not start.
    await rm(join(webhook.root, '/tmp/k8s-webhook-server/serving-certs'), { recursive: true });
    const uncertified = await start('authwebhook', webhook).exited;
    expect(uncertified.code).toBe(1);
    expect(uncertified.stderr).toContain('webhook.certDir');
  });
});

/** `text` (a YAML mapping) with each dotted key set to its value. */
function moveAddresses(text: string, moves: readonly [string, string | number][]): string {
  const doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  for (const [key, value] of moves) {
    const path = key.split('.');
    let node = doc;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return stringifyYaml(doc);
}

/** GET `url`, retrying while nothing listens yet (the server is starting). */
async function retryFetch(url: string, attempts = 100): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** An HTTPS GET trusting only `ca`, checking the certificate against `servername`; its status code. */
function httpsStatus(port: number, path: string, ca: string, servername: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, servername }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
