import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseDockerVersion,
  parseGenericVersion,
  parseKindVersion,
  parseKubectlClientVersion,
  parsePodmanVersion,
} from './parsers.js';
import { compareVersions, parseVersion } from './versions.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');

describe('version parsers against recorded output', () => {
  it.each([
    ['podman--version.podman-4.3.1.txt', '4.3.1'],
    ['podman--version.podman-5.0.1.txt', '5.0.1'],
  ])('podman: %s → %s', (file, version) => {
    expect(parsePodmanVersion(fixture(file))?.raw).toBe(version);
  });

  it.each([
    ['docker-version-format.no-daemon.stdout.txt', '28.2.2'],
    ['docker--version.28.2.2.txt', '28.2.2'],
  ])('docker: %s → %s', (file, version) => {
    expect(parseDockerVersion(fixture(file))?.raw).toBe(version);
  });

  it('docker: the daemon error on stderr is not a version', () => {
    expect(parseDockerVersion(fixture('docker-version-format.no-daemon.stderr.txt'))).toBeUndefined();
  });

  it.each([
    ['kind-version.v0.20.0.txt', '0.20.0'],
    ['kind-version.v0.26.0.txt', '0.26.0'],
    ['kind-version.v0.27.0.txt', '0.27.0'],
    ['kind-version.v0.6.0-alpha.txt', '0.6.0-alpha+7704075f4e4f76e4194cd2298e8b348256f1d2d3'],
  ])('kind: %s → %s (not the Go version after it)', (file, version) => {
    expect(parseKindVersion(fixture(file))?.raw).toBe(version);
  });

  it('kind: the older `kind version 0.11.1` form', () => {
    expect(parseKindVersion('kind version 0.11.1\n')?.raw).toBe('0.11.1');
  });

  it.each([
    ['kubectl-version-client-json.1.32.4.json', '1.32.4-dispatcher', [1, 32, 4]],
    ['kubectl-version-client-json.1.26.1.json', '1.26.1', [1, 26, 1]],
  ])('kubectl: %s → %s', (file, raw, [major, minor, patch]) => {
    expect(parseKubectlClientVersion(fixture(file))).toEqual({ raw, major, minor, patch });
  });

  it('kubectl: tolerates a warning line before the JSON and falls back to major/minor', () => {
    const output = `WARNING: version difference\n${JSON.stringify({ clientVersion: { major: '1', minor: '29+' } })}`;
    expect(parseKubectlClientVersion(output)?.raw).toBe('1.29');
    expect(parseKubectlClientVersion('Client Version: v1.30.0')).toBeUndefined();
  });

  it.each([
    ['ctr--version.txt', '1.6.20~ds1'],
    ['psql--version.txt', '15.18'],
  ])('generic --version: %s → %s', (file, version) => {
    expect(parseGenericVersion(fixture(file))?.raw).toBe(version);
  });

  it('returns undefined for output without a version', () => {
    expect(parsePodmanVersion('Error: unknown flag')).toBeUndefined();
    expect(parseKindVersion('')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  const v = (s: string) => parseVersion(s)!;
  it('orders by major, minor, patch numerically', () => {
    expect(compareVersions(v('0.20.0'), v('0.6.0'))).toBeGreaterThan(0);
    expect(compareVersions(v('1.26.1'), v('1.27'))).toBeLessThan(0);
    expect(compareVersions(v('20.10.0'), v('20.10'))).toBe(0);
    expect(compareVersions(v('4.3.1'), v('5.0.1'))).toBeLessThan(0);
  });
});
