import { join, resolve } from 'node:path';
import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUILD_TIMEOUT_MS, parseImageConfig } from './config.js';

const root = resolve('/src/kubernaut');
const base = {
  serviceName: 'datastorage',
  imageName: 'kubernaut/datastorage',
  dockerfilePath: 'docker/ds.Dockerfile',
};

describe('parseImageConfig', () => {
  it("applies the seed's defaults: context = project root, coverage from E2E_COVERAGE, 15 min, consumer = service", () => {
    const parsed = parseImageConfig(base, root, { E2E_COVERAGE: 'true' });
    expect(parsed).toEqual({
      serviceName: 'datastorage',
      imageName: 'kubernaut/datastorage',
      dockerfile: join(root, 'docker/ds.Dockerfile'),
      context: root,
      enableCoverage: true,
      buildArgs: {},
      consumer: 'datastorage',
      tag: undefined,
      goModCache: undefined,
      timeoutMs: DEFAULT_BUILD_TIMEOUT_MS,
    });
    expect(DEFAULT_BUILD_TIMEOUT_MS).toBe(15 * 60 * 1000);
    expect(parseImageConfig(base, root, {}).enableCoverage).toBe(false);
    expect(
      parseImageConfig({ ...base, enableCoverage: false }, root, { E2E_COVERAGE: 'true' }).enableCoverage,
    ).toBe(false);
  });

  it('resolves a context and an absolute Dockerfile inside the root', () => {
    const parsed = parseImageConfig(
      { ...base, dockerfilePath: join(root, 'a/Dockerfile'), buildContextPath: 'a' },
      root,
      {},
    );
    expect(parsed.dockerfile).toBe(join(root, 'a/Dockerfile'));
    expect(parsed.context).toBe(join(root, 'a'));
  });

  it('lists every bad field in one ConfigError', () => {
    const error = (() => {
      try {
        parseImageConfig({ ...base, imageName: 'Kubernaut/DS', timeoutMs: -1 }, root, {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['imageName', 'timeoutMs']));
    expect((error as Error).message).toMatch(/upper-case/);
  });
});
