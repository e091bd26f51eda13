import { ConfigError, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { datastorageBuild, gatewayBuild } from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';
import { simImageRef } from './sim-image-builder.js';

describe('SimImageBuilder', () => {
  it('builds uncached at the service build time and tags localhost/<imageName>:<consumer>-<hash>', async () => {
    const sim = createSimToolchain();
    const built = await sim.imageBuilder.build(gatewayBuild);
    expect(built.ref).toMatch(/^localhost\/kubernaut\/gateway:gateway-e2e-[0-9a-f]{12}$/);
    expect(built.cached).toBe(false);
    expect(sim.clock.now()).toBe(105_000);
    const image = await sim.engine.inspect(built.ref);
    expect(image?.id).toBe(built.id);
  });

  it("labels images as the real builder does, so finding a service's images by label works on both", async () => {
    const sim = createSimToolchain();
    const built = await sim.imageBuilder.build(gatewayBuild);
    const image = await sim.engine.inspect(built.ref);
    expect(image?.labels).toEqual({
      'io.kubernaut-e2e.service': 'gateway',
      'io.kubernaut-e2e.content-hash': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // What `kubernaut-e2e down` and `status` ask the engine.
    expect((await sim.engine.findByLabel(SERVICE_LABEL, 'gateway')).map((i) => i.id)).toEqual([built.id]);
  });

  it('simImageRef names the image as a build does, without building', async () => {
    const sim = createSimToolchain();
    const planned = simImageRef(gatewayBuild);
    expect(sim.world.images.size).toBe(0);
    expect((await sim.imageBuilder.build(gatewayBuild)).ref).toBe(planned);
    expect(simImageRef({ ...gatewayBuild, enableCoverage: true })).not.toBe(planned);
    expect(() => simImageRef({ ...gatewayBuild, imageName: 'Bad Name' })).toThrow(ConfigError);
  });

  it('builds in parallel: gateway and datastorage together take max(105, 95) s', async () => {
    const sim = createSimToolchain();
    await Promise.all([sim.imageBuilder.build(gatewayBuild), sim.imageBuilder.build(datastorageBuild)]);
    expect(sim.clock.now()).toBe(105_000);
  });

  it('answers a configuration seen before from the cache in 1 s with the same ref', async () => {
    const sim = createSimToolchain();
    const first = await sim.imageBuilder.build(gatewayBuild);
    const start = sim.clock.now();
    const again = await sim.imageBuilder.build(gatewayBuild);
    expect(sim.clock.now() - start).toBe(1_000);
    expect(again).toEqual({ ref: first.ref, id: first.id, cached: true });
  });

  it('a changed configuration is a different image and misses the cache', async () => {
    const sim = createSimToolchain();
    const first = await sim.imageBuilder.build(gatewayBuild);
    const changed = await sim.imageBuilder.build({ ...gatewayBuild, buildArgs: { GOFLAGS: '-cover' } });
    expect(changed.ref).not.toBe(first.ref);
    expect(changed.cached).toBe(false);
    expect(sim.clock.now()).toBe(210_000);
  });

  it("with cachedImages: 'all' every build is cached and the image exists in the engine", async () => {
    const sim = createSimToolchain({ cachedImages: 'all' });
    const built = await sim.imageBuilder.build(gatewayBuild);
    expect(built.cached).toBe(true);
    expect(sim.clock.now()).toBe(1_000);
    expect(await sim.engine.inspect(built.ref)).toBeDefined();
  });

  it('uses a fixed tag when one is given', async () => {
    const sim = createSimToolchain({ cachedImages: 'all' });
    expect((await sim.imageBuilder.build({ ...gatewayBuild, tag: 'e2e' })).ref).toBe(
      'localhost/kubernaut/gateway:e2e',
    );
  });

  it('rejects a bad configuration with ConfigError before any time passes', async () => {
    const sim = createSimToolchain();
    const error = await sim.imageBuilder
      .build({ ...gatewayBuild, imageName: 'Kubernaut/Gateway:v1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe('imageName');
    expect(sim.clock.now()).toBe(0);
  });
});
