import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import {
  clusterNameSchema,
  formatImageRef,
  hostPortSchema,
  hostPortsSchema,
  imageNameSchema,
  imageRefSchema,
  imageTagSchema,
  kubeNameSchema,
  parseImageRef,
  parseInput,
  pathInsideRoot,
} from './index.js';

const HEX64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

function errorOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.error.issues.map((i) => i.message).join('\n');
}

describe('kubeNameSchema', () => {
  it.each(['gateway', 'gateway-e2e', 'a', '0', 'kubernaut-system', 'x1-2-3', 'a'.repeat(63)])(
    'accepts %s',
    (name) => {
      expect(kubeNameSchema.parse(name)).toBe(name);
    },
  );

  it.each([
    ['', 'it is empty'],
    ['Gateway', 'upper-case'],
    ['-gateway', 'starts or ends with `-`'],
    ['gateway-', 'starts or ends with `-`'],
    ['gate_way', 'characters other than'],
    ['gate.way', 'characters other than'],
    ['gate way', 'characters other than'],
    ['a'.repeat(64), '64 characters, at most 63'],
  ])('rejects %j (%s) and states the allowed form', (name, problem) => {
    const message = errorOf(kubeNameSchema, name);
    expect(message).toContain(problem);
    expect(message).toContain('1–63 lower-case letters, digits or `-`');
  });

  it('rejects non-strings', () => {
    expect(errorOf(kubeNameSchema, 42)).toContain('expected a valid Kubernetes name as a string');
  });
});

describe('clusterNameSchema', () => {
  it('accepts a 50-character name and rejects 51 (kind derives `<name>-control-plane` from it)', () => {
    expect(clusterNameSchema.parse('c'.repeat(50))).toHaveLength(50);
    expect(errorOf(clusterNameSchema, 'c'.repeat(51))).toContain('51 characters, at most 50');
  });

  it.each(['gateway-e2e', 'datastorage-e2e', 'kind'])('accepts %s', (name) => {
    expect(clusterNameSchema.parse(name)).toBe(name);
  });

  it.each(['Gateway-E2E', 'gateway_e2e', '', '-x'])('rejects %j', (name) => {
    expect(errorOf(clusterNameSchema, name)).toContain('not a valid kind cluster name');
  });
});

describe('imageRefSchema and parseImageRef', () => {
  it.each([
    ['postgres', { repository: 'postgres' }],
    ['postgres:16', { repository: 'postgres', tag: '16' }],
    ['library/redis:7-alpine', { repository: 'library/redis', tag: '7-alpine' }],
    [
      'localhost/kubernaut/gateway:gateway-e2e-1a2b3c4d5e6f',
      { registry: 'localhost', repository: 'kubernaut/gateway', tag: 'gateway-e2e-1a2b3c4d5e6f' },
    ],
    ['localhost:5000/kubernaut/gateway', { registry: 'localhost:5000', repository: 'kubernaut/gateway' }],
    [
      'registry.example.com:5000/team/app:v1.2.3',
      { registry: 'registry.example.com:5000', repository: 'team/app', tag: 'v1.2.3' },
    ],
    ['docker.io/library/postgres:16', { registry: 'docker.io', repository: 'library/postgres', tag: '16' }],
    ['quay.io/podman/hello:latest', { registry: 'quay.io', repository: 'podman/hello', tag: 'latest' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app' }],
    ['MyRegistry/app', { registry: 'MyRegistry', repository: 'app' }],
    ['team/my_app__x.y-z/sub---path', { repository: 'team/my_app__x.y-z/sub---path' }],
    // Upper case in the first component makes it a registry host (the docker/podman rule).
    ['app:_under', { repository: 'app', tag: '_under' }],
    ['app:T'.concat('a'.repeat(127)), { repository: 'app', tag: `T${'a'.repeat(127)}` }],
    [`postgres@sha256:${HEX64}`, { repository: 'postgres', digest: `sha256:${HEX64}` }],
    [
      `ghcr.io/org/app:1.0@sha256:${HEX64}`,
      { registry: 'ghcr.io', repository: 'org/app', tag: '1.0', digest: `sha256:${HEX64}` },
    ],
    [`app@sha512:${'f'.repeat(128)}`, { repository: 'app', digest: `sha512:${'f'.repeat(128)}` }],
    [
      `app@multihash+base58:${'a'.repeat(32)}`,
      { repository: 'app', digest: `multihash+base58:${'a'.repeat(32)}` },
    ],
  ])('accepts %s', (ref, parts) => {
    expect(imageRefSchema.parse(ref)).toBe(ref);
    expect(parseImageRef(ref)).toEqual(parts);
    expect(formatImageRef(parseImageRef(ref))).toBe(ref);
  });

  it.each([
    ['', 'it is empty'],
    ['kubernaut/gateway :tag', 'whitespace'],
    [' postgres', 'whitespace'],
    ['postgres\t', 'whitespace'],
    ['Gateway', 'upper-case'],
    ['kubernaut/Gateway', 'upper-case'],
    ['a..b', 'separates components'],
    ['a___b', 'separates components'],
    ['localhost/Kubernaut/Gateway', 'upper-case'],
    ['-postgres', 'must start and end with a lower-case letter or digit'],
    ['localhost/-app', 'must start and end'],
    ['app-', 'must start and end'],
    ['app/', 'empty path component'],
    ['a//b', 'empty path component'],
    ['app:', 'the tag `` is invalid'],
    ['app:-x', 'the tag `-x` is invalid'],
    ['app:.x', 'the tag `.x` is invalid'],
    [`app:${'a'.repeat(129)}`, 'is invalid'],
    ['app:a+b', 'is invalid'],
    ['app@sha256:abc', 'digest'],
    [`app@sha256:${'A'.repeat(64)}`, '64 lower-case hex digits'],
    [`app@sha256:${HEX64}0`, '64 lower-case hex digits'],
    ['app@sha256', 'digest must look like'],
    ['app@', 'digest must look like'],
    ['bad_host.com:5000/app', 'registry `bad_host.com:5000` is not a valid host[:port]'],
    ['host:port/app', 'registry `host:port` is not a valid host[:port]'],
    ['app$', 'characters other than'],
    [`${'a'.repeat(256)}`, 'longer than 255'],
  ])('rejects %j (%s)', (ref, problem) => {
    const message = errorOf(imageRefSchema, ref);
    expect(message).toContain(problem);
    expect(message).toContain('[registry[:port]/]repository[:tag][@sha256:<64 hex>]');
    expect(() => parseImageRef(ref)).toThrow(ConfigError);
  });

  it('parseImageRef names the field it was given', () => {
    try {
      parseImageRef('Bad Ref', 'images[2].ref');
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues[0]?.path).toBe('images[2].ref');
    }
  });
});

describe('imageNameSchema', () => {
  it.each(['kubernaut/datastorage', 'gateway', 'a/b/c', 'my.repo/x_y'])('accepts %s', (name) => {
    expect(imageNameSchema.parse(name)).toBe(name);
  });

  it.each([
    ['kubernaut/datastorage:e2e', 'includes a tag'],
    [`kubernaut/x@sha256:${HEX64}`, 'includes a digest'],
    ['Kubernaut/DataStorage', 'upper-case'],
    ['kubernaut/ x', 'whitespace'],
    ['/kubernaut', 'empty path component'],
    ['', 'the name is empty'],
  ])('rejects %j (%s)', (name, problem) => {
    const message = errorOf(imageNameSchema, name);
    expect(message).toContain(problem);
    expect(message).toContain('e.g. `kubernaut/datastorage`');
  });
});

describe('imageTagSchema', () => {
  it.each(['latest', 'v1.2.3', '_x', 'gateway-e2e-0123456789ab', 'A'.repeat(128)])('accepts %s', (tag) => {
    expect(imageTagSchema.parse(tag)).toBe(tag);
  });
  it.each(['', '.x', '-x', 'a:b', 'a/b', 'A'.repeat(129)])('rejects %j', (tag) => {
    expect(errorOf(imageTagSchema, tag)).toContain('not a valid image tag');
  });
});

describe('hostPortSchema and hostPortsSchema', () => {
  it.each([1, 80, 8080, 65535])('accepts %d', (port) => {
    expect(hostPortSchema.parse(port)).toBe(port);
  });

  it.each([0, -1, 65536, 80.5, Number.NaN])('rejects %d with the allowed range', (port) => {
    expect(errorOf(hostPortSchema, port)).toContain('an integer from 1 to 65535');
  });

  it('rejects a string port', () => {
    expect(errorOf(hostPortSchema, '8080')).toContain('expected a port number');
  });

  it('accepts distinct ports and rejects a duplicate, naming it and both positions', () => {
    expect(hostPortsSchema.parse([8080, 5432, 6379])).toEqual([8080, 5432, 6379]);
    const result = hostPortsSchema.safeParse([8080, 5432, 8080]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([2]);
    expect(result.error?.issues[0]?.message).toBe(
      'host port 8080 is listed twice (also at index 0): each host port can be mapped only once',
    );
  });
});

describe('pathInsideRoot', () => {
  const root = resolve('/work/project');
  const schema = pathInsideRoot(root);

  it.each([
    ['docker/gateway.Dockerfile', '/work/project/docker/gateway.Dockerfile'],
    ['./docker/../Dockerfile', '/work/project/Dockerfile'],
    ['.', '/work/project'],
    ['/work/project/test/e2e', '/work/project/test/e2e'],
  ])('accepts %s as %s', (input, absolute) => {
    expect(schema.parse(input)).toBe(absolute);
  });

  it.each(['../other/Dockerfile', 'docker/../../x', '/etc/passwd', '/work/project-other/x', '/work'])(
    'rejects %s, which resolves outside the root',
    (input) => {
      expect(errorOf(schema, input)).toContain(`outside ${root}`);
    },
  );

  it('rejects empty paths and NUL bytes', () => {
    expect(errorOf(schema, '')).toContain('the path is empty');
    expect(errorOf(schema, 'a\0b')).toContain('NUL');
  });
});

describe('parseInput', () => {
  const config = z.object({
    clusterName: clusterNameSchema,
    images: z.array(
      z.object({
        imageName: imageNameSchema,
        dockerfilePath: pathInsideRoot('/work/project'),
      }),
    ),
    hostPorts: hostPortsSchema,
  });

  it('returns the parsed value (with transforms applied)', () => {
    const parsed = parseInput(
      config,
      {
        clusterName: 'gateway-e2e',
        images: [{ imageName: 'kubernaut/gateway', dockerfilePath: 'Dockerfile' }],
        hostPorts: [8080],
      },
      'gateway setup options',
    );
    expect(parsed.images[0]?.dockerfilePath).toBe('/work/project/Dockerfile');
  });

  it('throws one ConfigError naming every bad field by path and the allowed form', () => {
    const error = (() => {
      try {
        parseInput(
          config,
          {
            clusterName: 'Gateway_E2E',
            images: [
              { imageName: 'kubernaut/gateway', dockerfilePath: 'Dockerfile' },
              { imageName: 'kubernaut/ds:tag', dockerfilePath: '../../etc/passwd' },
            ],
            hostPorts: [8080, 8080],
          },
          'gateway setup options',
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('KE_CONFIG');
    expect(configError.issues.map((i) => i.path)).toEqual([
      'clusterName',
      'images[1].imageName',
      'images[1].dockerfilePath',
      'hostPorts[1]',
    ]);
    expect(configError.issues[2]?.message).toContain('outside /work/project');
    expect(configError.message).toContain('Invalid gateway setup options');
    expect(configError.message).toContain('→ at images[1].dockerfilePath');
    expect(configError.message).toContain('1–50 lower-case letters');
  });

  it('reports missing fields and unknown shapes with their path', () => {
    const error = (() => {
      try {
        parseInput(config, { images: [{}], hostPorts: 'x' }, 'options');
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error?.issues.map((i) => i.path)).toEqual([
      'clusterName',
      'images[0].imageName',
      'images[0].dockerfilePath',
      'hostPorts',
    ]);
  });
});
