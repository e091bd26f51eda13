import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { BIN, runBin } from './testing-internal/run-bin.js';

// The real binary, from the repository root (its kubernaut-e2e.config.ts declares gateway over the fixture project).
const WORKSPACE = resolve(import.meta.dirname, '../../..');
const CONFIG = join(WORKSPACE, 'kubernaut-e2e.config.ts');

let root: string;
let shims: string;
let calls: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` (pnpm test does) first`);
  root = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-render-bin-'));
  shims = join(root, 'bin');
  calls = join(root, 'calls.log');
  await mkdir(shims);
  // Every tool a run would use, recording any call: render must make none.
  for (const tool of ['podman', 'docker', 'kind', 'kubectl']) {
    await writeFile(join(shims, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\n`);
    await chmod(join(shims, tool), 0o755);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh, empty home for one run: where the kubeconfig and the CA file beside it would go. */
async function home(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  return dir;
}
const env = (homeDir: string) => ({
  PATH: shims,
  HOME: homeDir,
  XDG_CACHE_HOME: join(root, 'cache'),
  CI: 'true',
});

describe('kubernaut-e2e render (the binary)', () => {
  it('prints the manifests and touches nothing: no command, no kubeconfig, no CA file', async () => {
    for (const runtime of ['auto', 'sim']) {
      const dir = await home(`home-${runtime}`);
      const run = await runBin(['render', 'gateway', '--runtime', runtime], {
        cwd: WORKSPACE,
        env: env(dir),
      });
      expect(run.code, run.stderr).toBe(0);
      const documents = parseAllDocuments(run.stdout).map((d) => d.toJS() as { kind: string });
      expect(documents.filter((d) => d.kind === 'Deployment').length).toBeGreaterThanOrEqual(4);
      // auto names the images as podman (first on PATH) would, by the content hash of their files.
      if (runtime === 'auto')
        expect(run.stdout).toMatch(/# images: .*gateway=localhost\/gateway:gateway-e2e-[0-9a-f]{16}/);
      expect(
        await readdir(dir, { recursive: true }),
        `files under HOME after render --runtime ${runtime}`,
      ).toEqual([]);
      expect(existsSync(calls), 'a tool was run').toBe(false);
    }
  }, 60_000); // two runs of the binary, `auto` hashing the fixture's build contexts

  it('where render writes nothing, `up` writes the kubeconfig directory and inter-service-ca.pem', async () => {
    // The control: the same HOME layout gets the run's CA file from up (kept, so it stays to be seen).
    const dir = await home('home-up');
    const cwd = await home('cwd-up');
    const run = await runBin(['up', 'gateway', '--runtime', 'sim', '--keep', 'always', '--config', CONFIG], {
      cwd,
      env: env(dir),
    });
    expect(run.code, run.stderr).toBe(0);
    // Beside the gateway's kubeconfig (~/.kube/gateway-e2e-config), as kubernaut's InterServiceCAPath keys it.
    expect(existsSync(join(dir, '.kube', 'inter-service-ca.pem'))).toBe(true);
  });
});

describe('up and down on the simulated toolchain (the binary)', () => {
  it('up leaves the run’s CA beside the kubeconfig, as kubernaut’s suites read it, and down removes it', async () => {
    const dir = await home('home-ca');
    const cwd = await home('cwd-ca');
    const up = await runBin(['up', 'gateway', '--runtime', 'sim', '--json', '--config', CONFIG], {
      cwd,
      env: env(dir),
    });
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout) as {
      schemaVersion: number;
      caFile: string;
      cluster: { kubeconfig: string };
      endpoints: Record<string, string>;
    };
    expect(result.schemaVersion).toBe(1);
    expect(result.caFile).toBe(join(dirname(result.cluster.kubeconfig), 'inter-service-ca.pem'));
    expect(result.caFile.startsWith(dir)).toBe(true);
    const ca = new X509Certificate(await readFile(result.caFile));
    expect(ca.ca).toBe(true);
    expect(result.endpoints.dataStorageUrl).toBe('https://localhost:18091');

    const down = await runBin(
      ['down', 'gateway', '--runtime', 'sim', '--output', 'env', '--config', CONFIG],
      {
        cwd,
        env: env(dir),
      },
    );
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`KUBERNAUT_E2E_REMOVED_0='ca-file ${result.caFile}'`);
    expect(existsSync(result.caFile)).toBe(false);
    expect(existsSync(calls), 'a tool was run').toBe(false);
  });
});
