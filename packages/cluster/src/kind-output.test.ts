import { parseCrictlImages } from '@kubernaut-e2e/core/internal';
import { describe, expect, it } from 'vitest';
import { nodeImageRefs, normalizeImageRef, parseKindClusters } from './kind-output.js';
import { fixture } from './testing-internal/fixtures.js';

describe('parseKindClusters (recorded `kind get clusters` output)', () => {
  it('reads one name per stdout line', () => {
    expect(parseKindClusters(fixture('kind-get-clusters.two.stdout.txt'))).toEqual([
      'gateway-e2e',
      'datastorage-e2e',
    ]);
  });

  it('finds no cluster when kind prints only "No kind clusters found." (on stderr, stdout empty)', () => {
    expect(parseKindClusters('')).toEqual([]);
  });

  it('never takes the message or provider warnings for names when the streams were merged', () => {
    const merged = `${fixture('kind-get-clusters.none.stderr.txt')}`;
    expect(parseKindClusters(merged)).toEqual([]);
    const mergedWithNames = `${fixture('kind-get-clusters.two.stderr.txt')}${fixture('kind-get-clusters.two.stdout.txt')}`;
    expect(parseKindClusters(mergedWithNames)).toEqual(['gateway-e2e', 'datastorage-e2e']);
  });
});

describe('nodeImageRefs (recorded `crictl images -o json` output)', () => {
  it('lists every tag, falls back to the digest for untagged imports, normalised and sorted', () => {
    expect(nodeImageRefs(parseCrictlImages(fixture('crictl-images.json')))).toEqual([
      'docker.io/kindest/kindnetd:v20250512-df8de77b',
      'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a',
      'docker.io/library/postgres@sha256:6cf6142afacfa89fb28b894d6391c7dcbf6523c33178bdc33e782b3b533a9342',
      'localhost/kubernaut/datastorage:datastorage-e2e-1a2b3c4d5e6f',
      'localhost/kubernaut/datastorage:latest-e2e',
      'registry.k8s.io/coredns/coredns:v1.12.1',
      'registry.k8s.io/pause:3.10',
    ]);
  });

  it('reads a node with no images', () => {
    expect(nodeImageRefs(parseCrictlImages('{\n  "images": []\n}\n'))).toEqual([]);
  });
});

describe('normalizeImageRef', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['postgres:16', 'docker.io/library/postgres:16'],
    ['kindest/node:v1.35.1', 'docker.io/kindest/node:v1.35.1'],
    ['localhost/kubernaut/gateway:e2e', 'localhost/kubernaut/gateway:e2e'],
    ['localhost/kubernaut/gateway', 'localhost/kubernaut/gateway:latest'],
    ['registry.example.com:5000/team/app', 'registry.example.com:5000/team/app:latest'],
    ['index.docker.io/library/redis:7', 'docker.io/library/redis:7'],
    [
      'postgres:16@sha256:6cf6142afacfa89fb28b894d6391c7dcbf6523c33178bdc33e782b3b533a9342',
      'docker.io/library/postgres@sha256:6cf6142afacfa89fb28b894d6391c7dcbf6523c33178bdc33e782b3b533a9342',
    ],
    [
      'redis@sha256:6cf6142afacfa89fb28b894d6391c7dcbf6523c33178bdc33e782b3b533a9342',
      'docker.io/library/redis@sha256:6cf6142afacfa89fb28b894d6391c7dcbf6523c33178bdc33e782b3b533a9342',
    ],
  ])('%s → %s', (ref, expected) => {
    expect(normalizeImageRef(ref)).toBe(expected);
  });
});
