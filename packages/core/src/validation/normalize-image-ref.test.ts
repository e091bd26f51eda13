import { describe, expect, it } from 'vitest';
import { normalizeImageRef } from './normalize-image-ref.js';

describe('normalizeImageRef (what containerd stores)', () => {
  it.each([
    ['localhost/kubernaut/gateway:e2e-1a2b', 'localhost/kubernaut/gateway:e2e-1a2b'],
    ['kubernaut/gateway:e2e', 'docker.io/kubernaut/gateway:e2e'],
    ['nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/redis:7', 'docker.io/library/redis:7'],
    ['registry.example:5000/team/app', 'registry.example:5000/team/app:latest'],
    [`postgres:16@sha256:${'a'.repeat(64)}`, `docker.io/library/postgres@sha256:${'a'.repeat(64)}`],
    ['  quay.io/org/app:1  ', 'quay.io/org/app:1'],
  ])('%s → %s', (ref, stored) => {
    expect(normalizeImageRef(ref)).toBe(stored);
  });

  it('refuses an empty reference', () => {
    expect(() => normalizeImageRef('  ')).toThrow(/empty/);
  });
});
