import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputFormatError } from '../errors/simple-errors.js';
import { parseCrictlImages } from './crictl-images.js';

const recorded = readFileSync(new URL('./__fixtures__/crictl-images.json', import.meta.url), 'utf8');

describe('parseCrictlImages', () => {
  it('reads the recorded `crictl images -o json` output', () => {
    const images = parseCrictlImages(recorded);
    expect(images).toHaveLength(3);
    expect(images[1]).toEqual({
      id: 'sha256:bfe3a36ebd2528b454be6aebece806db5b40407b833e2af9617bf39afaff8c16',
      repoTags: ['k8s.gcr.io/coredns:1.7.0'],
      repoDigests: [
        'k8s.gcr.io/coredns@sha256:73ca82b4ce829766d4f1f10947c3a338888f876fbed0540dc849c89ff256e90c',
      ],
    });
  });

  it('accepts newer fields (spec, pinned) and images without tags', () => {
    const images = parseCrictlImages(
      JSON.stringify({
        images: [
          {
            id: 'sha256:1',
            repoTags: null,
            repoDigests: ['x@sha256:1'],
            size: '1',
            spec: null,
            pinned: true,
          },
        ],
      }),
    );
    expect(images).toEqual([{ id: 'sha256:1', repoTags: [], repoDigests: ['x@sha256:1'] }]);
  });

  it('treats an empty node as no images', () => {
    expect(parseCrictlImages('{}')).toEqual([]);
  });

  it('reports anything else as an OutputFormatError quoting it', () => {
    const notJson = (() => {
      try {
        return parseCrictlImages('FATA[0000] connect: no such file');
      } catch (error) {
        return error;
      }
    })();
    expect(notJson).toBeInstanceOf(OutputFormatError);
    expect(notJson).toMatchObject({ code: 'KE_OUTPUT_FORMAT' });
    expect((notJson as Error).message).toBe(
      '`crictl images -o json` output is not JSON: "FATA[0000] connect: no such file"',
    );
    expect(() => parseCrictlImages('{"images":[{"repoTags":[]}]}')).toThrow(/has an unexpected shape/);
  });
});
