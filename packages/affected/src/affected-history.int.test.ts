import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createCommandRunner } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findAffectedSuites } from './find-affected.js';
import { type ReplayedCommit, replayHistory } from './replay.js';
import {
  createSyntheticHistory,
  SYNTHETIC_MODULE,
  SYNTHETIC_SUITES,
  type SyntheticHistory,
} from './testing/synthetic-history.js';

const runner = createCommandRunner();
let history: SyntheticHistory;
let replayed: ReplayedCommit[];
const scratch = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-affected-oracle-'));

const selected = (commit: ReplayedCommit) =>
  commit.analysis.suites.filter((s) => s.affected).map((s) => s.name);
const reasonOf = (commit: ReplayedCommit, suite: string) =>
  commit.analysis.suites.find((s) => s.name === suite)?.reason;

describeWithBinaries(['git', 'go', 'tar'], { go: 'golang-go' }, () => {
  beforeAll(async () => {
    history = await createSyntheticHistory(runner);
    replayed = [];
    for await (const commit of replayHistory({
      runner,
      checkout: history.root,
      suites: history.services,
      commits: 100,
    }))
      replayed.push(commit);
  });
  afterAll(() => {
    if (history) rmSync(history.root, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('selects, commit by commit, exactly the suites each change can break', () => {
    expect(replayed.map((c) => c.subject)).toEqual(history.commits.map((c) => c.message));
    for (const [i, commit] of replayed.entries()) {
      const expected = history.commits[i]!;
      // Both a missed suite and an extra one fail, with the commit named.
      expect({ commit: expected.message, suites: selected(commit).sort() }).toEqual({
        commit: expected.message,
        suites: [...expected.expected].sort(),
      });
    }
  });

  it('never misses a suite whose compiled Go code changed, as `go list` sees each commit', async () => {
    for (const commit of replayed) {
      const tree = join(scratch, commit.commit);
      mkdirSync(tree);
      const archive = join(scratch, `${commit.commit}.tar`);
      await runner.run('git', ['archive', '--format=tar', '-o', archive, commit.commit], {
        cwd: history.root,
      });
      await runner.run('tar', ['-xf', archive, '-C', tree]);
      for (const suite of SYNTHETIC_SUITES) {
        const compiled = await goListFiles(tree, [`./cmd/${suite}`, `./test/e2e/${suite}/...`]);
        const touched = commit.changedFiles.filter((f) => compiled.has(f));
        if (touched.length > 0)
          expect({
            commit: commit.subject,
            suite,
            touched,
            selected: selected(commit).includes(suite),
          }).toEqual({
            commit: commit.subject,
            suite,
            touched,
            selected: true,
          });
      }
    }
  });

  it('says why: the first changed input and the import chain that reaches the suite', () => {
    const byMessage = (message: string) =>
      replayed[history.commits.findIndex((c) => c.message.startsWith(message))]!;
    expect(reasonOf(byMessage('shared db package'), 'orders')).toEqual({
      file: 'pkg/shared/db/db.go',
      why: "Go package pkg/shared/db, compiled into image orders's binary (docker/orders.Dockerfile:6): cmd/orders → pkg/orders → pkg/shared/db",
    });
    expect(reasonOf(byMessage('billing template'), 'billing')?.why).toMatch(
      /^embedded by Go package pkg\/billing \(\/\/go:embed\), compiled into image billing's binary/,
    );
    expect(reasonOf(byMessage('an unrelated package: billing stays selected'), 'billing')?.why).toBe(
      `pkg/billing imports ${SYNTHETIC_MODULE}/pkg/billing/generated: no Go package in pkg/billing/generated/ of this tree: any change may reach it`,
    );
    expect(reasonOf(byMessage('an unrelated package: the whole context'), 'billing')?.why).toMatch(
      /^image billing: RUN at line 6 runs a command this reading does not follow.*every file of its build context \(the repository\) is an input$/,
    );
    expect(reasonOf(byMessage('a Makefile'), 'gateway')).toEqual({
      file: 'Makefile',
      why: 'no suite declares it and it is neither Go code nor documentation: a suite’s Go test code may read it at run time',
    });
    const docs = byMessage('docs only').analysis.files;
    expect(docs.map((f) => [f.file, f.why])).toEqual([
      ['README.md', 'documentation'],
      ['docs/design.md', 'documentation'],
    ]);
    expect(byMessage('a unit test').analysis.files[0]?.why).toBe(
      'a Go test file of a package no suite tests: compiled into no suite',
    );
  });

  it('on the working tree: counts the branch’s commits since the merge base and what is not committed', async () => {
    const file = join(history.root, 'pkg/shared/httpx/httpx.go');
    writeFileSync(
      file,
      'package httpx\n\n// Name names the package (edited).\nfunc Name() string { return "httpx" }\n',
    );
    try {
      const report = await findAffectedSuites({
        runner,
        projectRoot: history.root,
        suites: history.services,
        since: 'HEAD~1',
      });
      expect(report.changedFiles).toEqual([
        'pkg/gateway/extra.go',
        'pkg/gateway/gateway.go',
        'pkg/shared/httpx/httpx.go',
      ]);
      expect(report.uncommitted).toBe(1);
      expect(report.suites.filter((s) => s.affected).map((s) => s.name)).toEqual(['gateway', 'orders']);
      expect(report.suites.find((s) => s.name === 'orders')?.reason?.file).toBe('pkg/shared/httpx/httpx.go');
    } finally {
      await runner.run('git', ['checkout', '--', 'pkg/shared/httpx/httpx.go'], { cwd: history.root });
    }
  });

  it('refuses a ref that names no commit, and a project root outside git, before reading anything else', async () => {
    const refused = (options: { since?: string; projectRoot?: string }) =>
      findAffectedSuites({ runner, projectRoot: history.root, suites: history.services, ...options }).catch(
        (e: unknown) => e,
      );
    const unknown = await refused({ since: 'no-such-branch' });
    expect(unknown).toBeInstanceOf(ConfigError);
    expect((unknown as ConfigError).issues[0]).toMatchObject({
      path: '--since',
      message: expect.stringContaining('no commit named "no-such-branch"'),
    });
    const outside = await refused({ projectRoot: scratch });
    expect(outside).toBeInstanceOf(ConfigError);
    expect((outside as ConfigError).issues[0]).toMatchObject({
      path: 'projectRoot',
      message: expect.stringContaining('not inside a git repository'),
    });
  });
});

/**
 * The repository files `go build` compiles for these packages: every Go file (tests of the listed packages included)
 * and embedded file of each package in their dependency closure that is in the module — the real toolchain's answer.
 */
async function goListFiles(dir: string, packages: string[]): Promise<Set<string>> {
  const { stdout } = await runner.run(
    'go',
    [
      'list',
      '-e',
      '-deps',
      '-test',
      '-f',
      '{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles " "}}|{{join .TestGoFiles " "}}|{{join .XTestGoFiles " "}}|{{join .EmbedFiles " "}}',
      ...packages,
    ],
    {
      cwd: dir,
      env: {
        GOFLAGS: '-mod=mod',
        GOPROXY: 'off',
        GOCACHE: join(scratch, 'gocache'),
        GOPATH: join(scratch, 'gopath'),
        CGO_ENABLED: '0',
      },
    },
  );
  const files = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [importPath = '', pkgDir = '', names = ''] = line.split('\t');
    if (!importPath.startsWith(SYNTHETIC_MODULE) || !pkgDir.startsWith(dir)) continue;
    const relative = pkgDir === dir ? '' : pkgDir.slice(dir.length + 1);
    const [goFiles = '', testFiles = '', xTestFiles = '', embedFiles = ''] = names.split('|');
    // A library's own tests are not compiled into anything a suite runs; the suite's test packages' are.
    const tests = relative.startsWith('test/e2e/') ? `${testFiles} ${xTestFiles}` : '';
    for (const name of `${goFiles} ${tests} ${embedFiles}`.split(' ').filter(Boolean))
      files.add(relative === '' ? name : `${relative}/${name}`);
  }
  return files;
}
