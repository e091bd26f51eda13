import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolNotFoundError } from '../errors/simple-errors.js';
import { ScriptedRunner } from '../testing/scripted-runner.js';
import { detectTools, requireTools, type ToolStatus } from './detect-tools.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');
const bin = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-tools-test-'));
for (const tool of ['podman', 'docker', 'kubectl']) {
  writeFileSync(join(bin, tool), '#!/bin/sh\n');
  chmodSync(join(bin, tool), 0o755);
}
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('detectTools', () => {
  it('runs each tool`s version command and reports presence, version and path', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', '--version'], stdout: fixture('podman--version.podman-4.3.1.txt') },
      {
        argv: ['docker', 'version', '--format', '{{.Client.Version}}'],
        stdout: fixture('docker-version-format.no-daemon.stdout.txt'),
        stderr: fixture('docker-version-format.no-daemon.stderr.txt'),
        exitCode: 1,
      },
      { argv: ['docker', '--version'], stdout: fixture('docker--version.28.2.2.txt') },
      { argv: ['kind', 'version'], error: new ToolNotFoundError('kind', 'install kind') },
      {
        argv: ['kubectl', 'version', '--client', '-o', 'json'],
        stdout: fixture('kubectl-version-client-json.1.32.4.json'),
      },
    ]);
    const report = await detectTools(runner, undefined, { pathVariable: bin });
    expect(report).toEqual([
      { name: 'podman', present: true, version: '4.3.1', path: join(bin, 'podman') },
      {
        name: 'docker',
        present: true,
        version: '28.2.2',
        path: join(bin, 'docker'),
        note: 'the docker daemon is not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      },
      { name: 'kind', present: false },
      { name: 'kubectl', present: true, version: '1.32.4-dispatcher', path: join(bin, 'kubectl') },
    ]);
    expect(runner.calls.every((c) => c.options.timeoutMs !== undefined)).toBe(true);
    runner.assertAllUsed();
  });

  it('asks any other tool for `--version`', async () => {
    const runner = new ScriptedRunner([{ argv: ['ctr', '--version'], stdout: fixture('ctr--version.txt') }]);
    expect(await detectTools(runner, ['ctr'], { pathVariable: bin })).toEqual([
      { name: 'ctr', present: true, version: '1.6.20~ds1' },
    ]);
  });

  it('reports a present tool whose version command fails or prints no version, with a note', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', '--version'], stderr: 'Error: cannot re-exec process', exitCode: 125 },
      { argv: ['kind', 'version'], stdout: 'something unexpected' },
    ]);
    const [podman, kind] = await detectTools(runner, ['podman', 'kind'], { pathVariable: bin });
    expect(podman).toMatchObject({ name: 'podman', present: true });
    expect(podman?.version).toBeUndefined();
    expect(podman?.note).toContain('exited with code 125');
    expect(kind).toEqual({
      name: 'kind',
      present: true,
      note: 'could not read a version from `kind version`',
    });
  });
});

describe('requireTools', () => {
  const report: ToolStatus[] = [
    { name: 'podman', present: true, version: '4.3.1' },
    { name: 'docker', present: true, version: '19.03.8' },
    { name: 'kind', present: false },
    { name: 'kubectl', present: true, version: '1.26.1' },
    { name: 'ctr', present: true },
  ];

  it('passes when every named tool is present and new enough (unknown versions pass)', () => {
    expect(() => requireTools(report, ['podman', 'ctr'])).not.toThrow();
    expect(() => requireTools([{ name: 'kind', present: true, version: '0.20.0' }], ['kind'])).not.toThrow();
  });

  it('names each missing or too-old tool and how to install it', () => {
    let error: unknown;
    try {
      requireTools(report, ['podman', 'docker', 'kind', 'kubectl']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolNotFoundError);
    const notFound = error as ToolNotFoundError;
    expect(notFound.tool).toBe('docker, kind, kubectl');
    expect(notFound.message).toContain('`docker` 19.03.8 is too old (20.10 or newer is required)');
    expect(notFound.message).toContain('`kind` was not found on PATH');
    expect(notFound.message).toContain('`kubectl` 1.26.1 is too old (1.27 or newer is required)');
    expect(notFound.message).toContain('go install sigs.k8s.io/kind@latest');
    expect(notFound.message).not.toContain('podman');
  });

  it('treats a tool that was never detected as missing', () => {
    expect(() => requireTools([], ['kind'])).toThrow(/`kind` was not found on PATH/);
  });

  it('rejects the kind alpha recorded in kind PR #989 as too old', () => {
    expect(() =>
      requireTools(
        [{ name: 'kind', present: true, version: '0.6.0-alpha+7704075f4e4f76e4194cd2298e8b348256f1d2d3' }],
        ['kind'],
      ),
    ).toThrow(/too old \(0\.20 or newer/);
  });
});
