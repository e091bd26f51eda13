import { CommandError, SERVICE_LABEL } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { createSimToolchain } from '../toolchain.js';

const request = (ref: string, labels: Record<string, string> = {}) => ({
  ref,
  dockerfile: '/src/Dockerfile',
  context: '/src',
  buildArgs: {},
  labels,
});

describe('SimContainerEngine', () => {
  it('times a build by its service label, else by the ref name', async () => {
    const sim = createSimToolchain();
    await sim.engine.build(request('localhost/x/anything:1', { [SERVICE_LABEL]: 'datastorage' }));
    expect(sim.clock.now()).toBe(95_000);
    await sim.engine.build(request('localhost/kubernaut/authwebhook:1'));
    expect(sim.clock.now()).toBe(95_000 + 85_000);
  });

  it('inspect, tag, findByLabel (newest first) and removeImage behave like podman', async () => {
    const sim = createSimToolchain({ profile: undefined });
    const a = await sim.engine.build(request('localhost/k/gw:a', { svc: 'gw' }));
    const b = await sim.engine.build(request('localhost/k/gw:b', { svc: 'gw' }));
    await sim.engine.tag('localhost/k/gw:a', 'localhost/k/gw:latest');
    expect((await sim.engine.inspect('localhost/k/gw:latest'))?.id).toBe(a.id);
    expect((await sim.engine.findByLabel('svc', 'gw')).map((i) => i.id)).toEqual([b.id, a.id]);
    await sim.engine.removeImage('localhost/k/gw:a');
    expect(await sim.engine.inspect('localhost/k/gw:a')).toBeUndefined();
    expect((await sim.engine.inspect('localhost/k/gw:latest'))?.id).toBe(a.id);
    await expect(sim.engine.removeImage('localhost/k/gw:a')).rejects.toThrow(/image not known/);
    await expect(sim.engine.tag('localhost/nope:1', 'localhost/x:1')).rejects.toBeInstanceOf(CommandError);
  });

  it('save records one virtual archive of every ref and fails for an image that was never built', async () => {
    const sim = createSimToolchain({ cachedImages: 'all' });
    await sim.engine.build(request('localhost/k/a:1'));
    await sim.engine.build(request('localhost/k/b:1'));
    await sim.engine.save(['localhost/k/a:1', 'localhost/k/b:1'], '/tmp/both.tar');
    expect(sim.world.archives.get('/tmp/both.tar')?.refs).toEqual(['localhost/k/a:1', 'localhost/k/b:1']);
    const error = await sim.engine
      .save(['localhost/k/a:1', 'localhost/k/never:1'], '/tmp/x.tar')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).argv.slice(0, 2)).toEqual(['podman', 'save']);
    expect((error as CommandError).stderrTail).toEqual(['Error: localhost/k/never:1: image not known']);
    expect(sim.world.archives.has('/tmp/x.tar')).toBe(false);
  });

  it('push needs the image and records it in the registry', async () => {
    const sim = createSimToolchain();
    await expect(sim.engine.push('localhost:5000/k/a:1')).rejects.toThrow(/image not known/);
    await sim.engine.build(request('localhost:5000/k/a:1', { service: 'a' }));
    await sim.engine.push('localhost:5000/k/a:1');
    expect(sim.world.registry.has('localhost:5000/k/a:1')).toBe(true);
  });
});
