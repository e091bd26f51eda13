import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseImageId, parseImageInspect, parsePodmanImageList } from './inspect-parser.js';

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');

describe('parseImageInspect', () => {
  it('reads recorded podman output: bare-hex Id, every tag, labels, size, creation time', () => {
    const [image] = parseImageInspect(fixture('podman-image-inspect.json'));
    expect(image!.id).toBe('sha256:4279f2e12eb133af1f87b23800b852cc964b2eb4a9fca10fa8568303231061a5');
    expect(image!.refs).toEqual(['localhost/kubernaut-e2e-test/q:1', 'localhost/kubernaut-e2e-test/q:2']);
    expect(image!.labels['io.kubernaut-e2e.content-hash']).toBe('zz');
    expect(image!.sizeBytes).toBe(3885);
    expect(image!.createdAt).toBe(Date.parse('2026-11-27T17:07:56.406821756Z'));
  });

  it('reads docker output without Config.Labels (BuildKit image, docker 28 era)', () => {
    const [image] = parseImageInspect(fixture('docker-image-inspect.json'));
    expect(image).toMatchObject({
      id: 'sha256:857d0dc1f804a5b4549e92f3ba906474bbed1a6d986c0ced04747e24bd645a12',
      refs: ['samples-docker/1.1.dockerfile_hello:v1.0'],
      labels: {},
      sizeBytes: 116546602,
    });
  });

  it('reads docker output whose Config.Labels is null', () => {
    const [image] = parseImageInspect(fixture('docker-image-inspect-labels.json'));
    expect(image!.labels).toEqual({});
    expect(image!.refs).toEqual(['gsantomaggio/go-stream-client:latest']);
  });

  it('reports output that is not inspect JSON, quoting it', () => {
    expect(() => parseImageInspect('Error: something odd')).toThrow(/Error: something odd/);
    expect(() => parseImageInspect('[{"RepoTags": []}]')).toThrow(
      /image inspect output is not what was expected/,
    );
  });

  it('normalises IDs to sha256:<hex>', () => {
    expect(normaliseImageId('abc')).toBe('sha256:abc');
    expect(normaliseImageId('sha256:abc')).toBe('sha256:abc');
  });
});

describe('parsePodmanImageList', () => {
  it('merges the per-tag entries of recorded `podman images --format json` into one image', () => {
    const images = parsePodmanImageList(fixture('podman-images-filter-label.json'));
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      id: 'sha256:1bd65665fdd8d495bbce5457467730c4b80bb1ec6f73390ad70736f71e4c64bb',
      refs: ['localhost/kubernaut-e2e-test/q:1', 'localhost/kubernaut-e2e-test/q:2'],
      createdAt: 1795800272 * 1000,
    });
  });

  it('reads an empty listing and rejects anything else', () => {
    expect(parsePodmanImageList('[]')).toEqual([]);
    expect(() => parsePodmanImageList('{"Id":1}')).toThrow(/`podman images` output is not what was expected/);
  });
});
