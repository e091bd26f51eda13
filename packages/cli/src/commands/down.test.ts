import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runBin, WORKSPACE_CONFIG } from '../testing-internal/run-bin.js';

/*
 * `down` of a kept kind cluster, run in a new process — the binary with a PATH of recording shims: kind says the
 * cluster exists and records how it is deleted; podman holds no images of ours.
 */
let home: string;
let log: string;

const KIND_VERSION = 'kind v0.27.0 go1.24.0 linux/amd64';
const KUBECTL_VERSION = JSON.stringify({ clientVersion: { major: '1', minor: '32', gitVersion: 'v1.32.0' } });

async function shim(name: string, cases: string): Promise<void> {
  const path = join(home, 'bin', name);
  await writeFile(path, `#!/bin/sh\necho "${name} $*" >> "${log}"\ncase "$*" in\n${cases}\nesac\n`);
  await chmod(path, 0o755);
}

beforeEach(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  home = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-down-'));
  log = join(home, 'calls.log');
  await mkdir(join(home, 'bin'));
  await shim('podman', `'--version') echo 'podman version 4.3.1';;\n'images '*) echo '[]';;`);
  await shim(
    'kind',
    `'version') echo '${KIND_VERSION}';;\n'get clusters') echo gateway-e2e;;\n'delete cluster'*) echo 'Deleting cluster "gateway-e2e" ...' >&2;;`,
  );
  await shim('kubectl', `'version --client -o json') echo '${KUBECTL_VERSION}';;`);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const down = () =>
  runBin(['down', 'gateway', '--runtime', 'podman', '--config', WORKSPACE_CONFIG], {
    cwd: home,
    env: { PATH: join(home, 'bin'), HOME: home, CI: 'true' },
  });
const kindCalls = async () =>
  (await readFile(log, 'utf8')).split('\n').filter((line) => line.startsWith('kind delete'));

describe('down of a kept kind cluster', () => {
  it("deletes it with its own kubeconfig, so kind never edits the user's ~/.kube/config, and removes that file", async () => {
    // Where kubernaut's own gateway suite keeps it, which the gateway service declares.
    const kubeconfig = join(home, '.kube', 'gateway-e2e-config');
    await mkdir(join(home, '.kube'), { recursive: true });
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');

    const run = await down();
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Removed (podman):\n  cluster gateway-e2e');
    expect(await kindCalls()).toEqual([`kind delete cluster --name gateway-e2e --kubeconfig ${kubeconfig}`]);
    expect(existsSync(kubeconfig)).toBe(false);
  });

  it('without that file, names none: kind would create its directory just to lock it', async () => {
    const run = await down();
    expect(run.code).toBe(0);
    expect(await kindCalls()).toEqual(['kind delete cluster --name gateway-e2e']);
    expect(existsSync(join(home, '.kube'))).toBe(false);
  });

  it("keeps the CA file another kept cluster's kubeconfig shares a directory with (kubernaut keys it by directory)", async () => {
    const kube = join(home, '.kube');
    await mkdir(kube, { recursive: true });
    await writeFile(join(kube, 'gateway-e2e-config'), 'apiVersion: v1\nkind: Config\n');
    await writeFile(join(kube, 'inter-service-ca.pem'), 'CA\n');
    const other = join(kube, 'datastorage-e2e-config');
    await writeFile(other, 'apiVersion: v1\nkind: Config\n');

    expect((await down()).code).toBe(0);
    expect(existsSync(join(kube, 'gateway-e2e-config'))).toBe(false);
    expect(existsSync(join(kube, 'inter-service-ca.pem')), "datastorage's clients still trust it").toBe(true);

    await rm(other);
    expect((await down()).code).toBe(0);
    expect(existsSync(join(kube, 'inter-service-ca.pem'))).toBe(false);
  });
});
