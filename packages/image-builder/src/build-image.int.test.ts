import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createCommandRunner, RunLedger } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImageForKind } from './build-image.js';
import { buildImagesForKind } from './build-images.js';
import { createPodmanEngine } from './engines/podman-engine.js';
import { SERVICE_LABEL } from './image-ref.js';

/*
 * Real podman builds of tiny fixture images. No registry is reachable, so every base image is made here
 * (`FROM scratch`). A random nonce in each context makes this run's content hashes unique, so an image
 * left by an earlier run can never turn the first build into a cache hit.
 *
 * Podman runs as root with its default storage (overlay on this machine); no extra settings needed.
 */
describeWithBinaries(['podman'], { podman: 'podman' }, () => {
  const runner = createCommandRunner();
  const engine = createPodmanEngine(runner);
  const ledger = new RunLedger();
  const nonce = randomBytes(6).toString('hex');
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubernaut-build-int-'));
    await mkdir(join(root, 'base'));
    await writeFile(join(root, 'base/Dockerfile'), 'FROM scratch\nCOPY base.txt /base.txt\n');
    await writeFile(join(root, 'base/base.txt'), `base layer ${nonce}\n`);
    await mkdir(join(root, 'app'));
    await writeFile(join(root, 'app/app.txt'), `app v1 ${nonce}\n`);
    await writeFile(join(root, 'app/.dockerignore'), 'notes.md\n');
    await writeFile(join(root, 'app/notes.md'), 'not sent to the build\n');
  });

  afterAll(async () => {
    const built = ledger.entries.filter((e) => e.kind === 'image').map((e) => e.name);
    await ledger.cleanup();
    await rm(root, { recursive: true, force: true });
    // Everything this suite built or tagged is gone.
    expect(built.length).toBeGreaterThan(0);
    for (const ref of built) expect(await engine.inspect(ref)).toBeUndefined();
  });

  const options = () => ({ engine, projectRoot: root, ledger, env: {} });

  it('builds FROM a base image it made itself, hits the cache on the second build, rebuilds after a change', async () => {
    const base = await buildImageForKind(
      {
        serviceName: 'base',
        imageName: 'kubernaut-e2e-test/base',
        dockerfilePath: 'base/Dockerfile',
        buildContextPath: 'base',
        tag: `base-${nonce}`,
      },
      options(),
    );
    expect(base).toMatchObject({ ref: `localhost/kubernaut-e2e-test/base:base-${nonce}`, cached: false });
    await writeFile(join(root, 'app/Dockerfile'), `FROM ${base.ref}\nCOPY app.txt /app.txt\n`);

    const app = {
      serviceName: 'app',
      imageName: 'kubernaut-e2e-test/app',
      dockerfilePath: 'app/Dockerfile',
      buildContextPath: 'app',
      consumer: 'int-test',
    };
    const first = await buildImageForKind(app, options());
    expect(first.cached).toBe(false);
    expect(first.ref).toMatch(/^localhost\/kubernaut-e2e-test\/app:int-test-[0-9a-f]{12,}$/);
    const stored = await engine.inspect(first.ref);
    expect(stored?.id).toBe(first.id);
    expect(stored?.labels['io.kubernaut-e2e.content-hash']).toMatch(/^[0-9a-f]{64}$/);

    const second = await buildImageForKind(app, options());
    expect(second).toEqual({ ref: first.ref, id: first.id, cached: true });

    // A file .dockerignore excludes changes nothing…
    await writeFile(join(root, 'app/notes.md'), 'edited notes\n');
    expect(await buildImageForKind(app, options())).toEqual(second);

    // …one context file that is sent changes the hash, the tag and the image.
    await writeFile(join(root, 'app/app.txt'), `app v2 ${nonce}\n`);
    const third = await buildImageForKind(app, options());
    expect(third.cached).toBe(false);
    expect(third.ref).not.toBe(first.ref);
    expect(third.id).not.toBe(first.id);
  });

  it('reuses a cached image for another consumer by tagging it, without building', async () => {
    await mkdir(join(root, 'solo'), { recursive: true });
    await writeFile(join(root, 'solo/Dockerfile'), 'FROM scratch\nCOPY solo.txt /solo.txt\n');
    await writeFile(join(root, 'solo/solo.txt'), `solo ${nonce}\n`);
    const config = {
      serviceName: 'solo',
      imageName: 'kubernaut-e2e-test/solo',
      dockerfilePath: 'solo/Dockerfile',
      buildContextPath: 'solo',
    };
    const forGateway = await buildImageForKind({ ...config, consumer: 'gateway-e2e' }, options());
    const forNotification = await buildImageForKind({ ...config, consumer: 'notification-e2e' }, options());
    expect(forGateway.cached).toBe(false);
    expect(forNotification).toMatchObject({ id: forGateway.id, cached: true });
    expect(forNotification.ref).not.toBe(forGateway.ref);
    expect((await engine.inspect(forGateway.ref))?.refs).toEqual(
      expect.arrayContaining([forGateway.ref, forNotification.ref]),
    );
  });

  it('builds several images in parallel and fails fast naming the image whose Dockerfile is broken', async () => {
    await mkdir(join(root, 'multi'), { recursive: true });
    await writeFile(join(root, 'multi/ok.Dockerfile'), 'FROM scratch\nCOPY ok.txt /ok.txt\n');
    await writeFile(join(root, 'multi/ok.txt'), `ok ${nonce}\n`);
    await writeFile(join(root, 'multi/broken.Dockerfile'), 'FROM scratch\nCOPY missing-file.txt /x\n');
    const ok = {
      serviceName: 'ok',
      imageName: 'kubernaut-e2e-test/ok',
      dockerfilePath: 'multi/ok.Dockerfile',
      buildContextPath: 'multi',
    };
    const broken = {
      serviceName: 'broken',
      imageName: 'kubernaut-e2e-test/broken',
      dockerfilePath: 'multi/broken.Dockerfile',
      buildContextPath: 'multi',
    };

    const error = await buildImagesForKind([ok, broken], { ...options(), concurrency: 2 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /building image localhost\/kubernaut-e2e-test\/broken:broken-[0-9a-f]+ for service broken/,
    );
    expect((error as Error).message).toContain('missing-file.txt');
  });

  it('a failed build is never a cache hit: its labelled intermediate images are not the built image', async () => {
    // podman commits each step before the failing COPY as an intermediate image carrying the build's
    // `--label`s, content hash included; the same inputs must fail again, not "hit the cache".
    await mkdir(join(root, 'partial'), { recursive: true });
    await writeFile(
      join(root, 'partial/Dockerfile'),
      `FROM scratch\nARG GOARCH=amd64\nLABEL step="before the copy ${nonce}"\nCOPY missing-file.txt /x\n`,
    );
    const partial = {
      serviceName: 'partial',
      imageName: 'kubernaut-e2e-test/partial',
      dockerfilePath: 'partial/Dockerfile',
      buildContextPath: 'partial',
    };
    const first = await buildImageForKind(partial, options()).catch((e: unknown) => e);
    expect((first as Error).message).toContain('missing-file.txt');
    const again = await buildImageForKind(partial, options()).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Error);
    expect((again as Error).message).toContain('missing-file.txt');
    // Nothing of the failed builds is left in the engine: their labelled intermediate images were removed.
    expect(await engine.findByLabel(SERVICE_LABEL, 'partial')).toEqual([]);
  });

  it('CI artifact mode finds an image that exists and refuses one that does not, never building', async () => {
    const built = await buildImageForKind(
      {
        serviceName: 'ci',
        imageName: 'kubernaut-e2e-test/ci',
        dockerfilePath: 'base/Dockerfile',
        buildContextPath: 'base',
        tag: `ci-${nonce}`,
      },
      options(),
    );
    const found = await buildImageForKind(
      {
        serviceName: 'ci',
        imageName: 'kubernaut-e2e-test/ci',
        dockerfilePath: 'base/Dockerfile',
        buildContextPath: 'base',
      },
      { ...options(), env: { KUBERNAUT_CI_ARTIFACT_TAG: `ci-${nonce}` } },
    );
    expect(found).toEqual({ ref: built.ref, id: built.id, cached: true });
    const missing = await buildImageForKind(
      {
        serviceName: 'ci',
        imageName: 'kubernaut-e2e-test/ci',
        dockerfilePath: 'base/Dockerfile',
        buildContextPath: 'base',
      },
      { ...options(), env: { KUBERNAUT_CI_ARTIFACT_TAG: `absent-${nonce}` } },
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect(await engine.inspect(`localhost/kubernaut-e2e-test/ci:absent-${nonce}`)).toBeUndefined();
  });
});
