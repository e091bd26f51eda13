import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBuildInputs } from './context-hash.js';
import { hashImageSources } from './image-sources-hash.js';

let dir: string;
const put = async (path: string, content: string) => {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
};
const config = (service: string) => ({
  serviceName: service,
  imageName: `kubernaut/${service}`,
  dockerfilePath: `docker/${service}.Dockerfile`,
});
const hashOf = async (service: string) =>
  (await hashImageSources(config(service), { projectRoot: dir, env: {}, hostArch: 'x64' })).hash;

beforeEach(async () => {
  // Two images built from one shared context (the repository root), as kubernaut builds them.
  dir = await mkdtemp(join(tmpdir(), 'kubernaut-sources-hash-test-'));
  await put('.dockerignore', '**/*.md\n');
  await put(
    'docker/gateway.Dockerfile',
    'FROM scratch\nCOPY go.mod /src/\nCOPY cmd/gateway/ /src/cmd/gateway/\n',
  );
  await put(
    'docker/datastorage.Dockerfile',
    'FROM scratch\nCOPY go.mod /src/\nCOPY cmd/datastorage/ /src/\n',
  );
  await put('go.mod', 'module example\n');
  await put('cmd/gateway/main.go', 'package main\n');
  await put('cmd/datastorage/main.go', 'package main\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hashImageSources', () => {
  it('changes for the image whose sources changed, and only for it', async () => {
    const before = { gateway: await hashOf('gateway'), datastorage: await hashOf('datastorage') };
    await put('cmd/gateway/main.go', 'package main // one line changed\n');
    expect(await hashOf('gateway')).not.toBe(before.gateway);
    expect(await hashOf('datastorage')).toBe(before.datastorage);

    // A file both take changes both.
    await put('go.mod', 'module example\n\ngo 1.24\n');
    expect(await hashOf('datastorage')).not.toBe(before.datastorage);
  });

  it('ignores files outside every source and files .dockerignore excludes', async () => {
    const before = await hashOf('gateway');
    await put('README.md', 'docs\n');
    await put('cmd/gateway/NOTES.md', 'excluded by .dockerignore\n');
    await put('test/e2e/gateway_test.go', 'package e2e\n');
    expect(await hashOf('gateway')).toBe(before);
  });

  it('changes with the Dockerfile, and reports what it covered', async () => {
    const before = await hashImageSources(config('gateway'), { projectRoot: dir, env: {}, hostArch: 'x64' });
    expect(before).toMatchObject({
      dockerfile: join(dir, 'docker/gateway.Dockerfile'),
      context: dir,
      sources: ['go.mod', 'cmd/gateway'],
      files: 2,
      buildArgs: { GOARCH: 'amd64' },
    });
    await put('docker/gateway.Dockerfile', 'FROM scratch\nCOPY go.mod /src/\nCOPY cmd/gateway/ /app/\n');
    expect(await hashOf('gateway')).not.toBe(before.hash);
  });

  it('is the build label hash when the Dockerfile reads the whole context', async () => {
    await put('docker/gateway.Dockerfile', 'FROM scratch\nCOPY . /src/\n');
    const hashed = await hashImageSources(config('gateway'), { projectRoot: dir, env: {}, hostArch: 'x64' });
    expect(hashed.sources).toBeUndefined();
    const whole = await hashBuildInputs({
      dockerfile: join(dir, 'docker/gateway.Dockerfile'),
      context: dir,
      buildArgs: { GOARCH: 'amd64' },
      enableCoverage: false,
    });
    expect(hashed.hash).toBe(whole.hash);
  });

  it('refuses a Dockerfile outside the project root before reading anything', async () => {
    await expect(
      hashImageSources(
        { ...config('gateway'), dockerfilePath: '../elsewhere/Dockerfile' },
        { projectRoot: dir },
      ),
    ).rejects.toMatchObject({ code: 'KE_CONFIG' });
  });
});
