import { describe, expect, it } from 'vitest';
import { nodeImageName } from './node-image-name.js';

describe('nodeImageName', () => {
  it.each([
    // podman's names: localhost/ is a registry host and is kept (the trap: a pod spec must say localhost/ too)
    [
      'localhost/kubernaut/datastorage:datastorage-abc123',
      'localhost/kubernaut/datastorage:datastorage-abc123',
    ],
    // docker's familiar names: containerd stores them under docker.io/
    ['kubernaut/datastorage:e2e', 'docker.io/kubernaut/datastorage:e2e'],
    ['postgres:16', 'docker.io/library/postgres:16'],
    ['redis', 'docker.io/library/redis:latest'],
    ['docker.io/library/redis:7', 'docker.io/library/redis:7'],
    ['index.docker.io/kubernaut/x:1', 'docker.io/kubernaut/x:1'],
    ['quay.io/jordigilh/kubernaut:1.2', 'quay.io/jordigilh/kubernaut:1.2'],
    ['registry.local:5000/k/x:1', 'registry.local:5000/k/x:1'],
    ['localhost:5000/x', 'localhost:5000/x:latest'],
    [`kubernaut/x@sha256:${'a'.repeat(64)}`, `docker.io/kubernaut/x@sha256:${'a'.repeat(64)}`],
    [`kubernaut/x:1@sha256:${'a'.repeat(64)}`, `docker.io/kubernaut/x@sha256:${'a'.repeat(64)}`],
  ])('%s → %s', (ref, expected) => {
    expect(nodeImageName(ref)).toBe(expected);
  });

  it('is idempotent (a node name maps to itself)', () => {
    for (const ref of ['kubernaut/x:1', 'redis', 'localhost/k/x:t', 'registry.local:5000/k/x']) {
      const once = nodeImageName(ref);
      expect(nodeImageName(once)).toBe(once);
    }
  });

  it('shows why podman refs must keep localhost/: without it the node name differs', () => {
    expect(nodeImageName('kubernaut/gateway:t')).not.toBe(nodeImageName('localhost/kubernaut/gateway:t'));
  });

  it('rejects an empty reference', () => {
    expect(() => nodeImageName('  ')).toThrow(/empty/);
  });
});
