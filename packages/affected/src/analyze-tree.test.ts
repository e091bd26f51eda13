import { defineService } from '@kubernaut-e2e/setup';
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './analyze-tree.js';
import type { SourceTree } from './tree/source-tree.js';

/** A tree held in memory: what a commit or a working tree gives the analysis. */
function memoryTree(files: Record<string, string>): SourceTree {
  const paths = Object.keys(files).sort();
  return {
    description: 'memory',
    files: paths,
    has: (path) => path in files,
    contentId: () => undefined,
    readFiles: async (wanted) =>
      new Map(wanted.filter((p) => p in files).map((p) => [p, files[p]!] as [string, string])),
  };
}

const dockerfile = (binary: string) => `FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/${binary} ./cmd/${binary}
FROM scratch
COPY --from=builder /out/${binary} /${binary}
`;
const service = (name: string) =>
  defineService({
    name,
    hostPorts: { [name]: 19700 },
    images: { [name]: { dockerfile: `docker/${name}.Dockerfile` } },
    deployments: [{ id: name, image: name, ports: [{ name: 'http', port: 8080 }] }],
  });
const suites = [service('api'), service('worker')];

const TREE = {
  'go.mod': 'module example.com/shop\n\ngo 1.22\n\nreplace example.com/lib => ./third_party/lib\n',
  'docker/api.Dockerfile': dockerfile('api'),
  'docker/worker.Dockerfile': dockerfile('worker'),
  // api imports a module replaced by a directory of the repository (with its own go.mod) and a vendored module.
  'cmd/api/main.go':
    'package main\n\nimport (\n\t"example.com/lib/client"\n\t"github.com/acme/log"\n)\n\nfunc main() { client.Do(); log.Print() }\n',
  'third_party/lib/go.mod': 'module example.com/lib\n',
  'third_party/lib/client/client.go': 'package client\n\nfunc Do() {}\n',
  'vendor/modules.txt': '# github.com/acme/log v1.0.0\ngithub.com/acme/log\n',
  'vendor/github.com/acme/log/log.go': 'package log\n\nfunc Print() {}\n',
  // worker imports a package through a dot import and an aliased one, with assembly beside it.
  'cmd/worker/main.go':
    'package main\n\nimport . "example.com/shop/pkg/queue"\nimport q2 "example.com/shop/pkg/queue/v2"\n\nfunc main() { Run(); q2.Run() }\n',
  'pkg/queue/queue.go': 'package queue\n\nfunc Run() {}\n',
  'pkg/queue/fast_amd64.s': 'TEXT ·fast(SB),0,$0\n',
  'pkg/queue/v2/queue.go': '//go:build linux\n\npackage v2\n\nfunc Run() {}\n',
  // Another module nobody replaces: its code is not the suites'.
  'tools/go.mod': 'module example.com/tools\n',
  'tools/gen/main.go': 'package main\n\nfunc main() {}\n',
  'charts/shop/values.yaml': 'replicas: 1\n',
};

const selected = async (changed: string[], files: Record<string, string> = TREE) => {
  const analysis = await analyzeTree(memoryTree(files), suites, changed, []);
  return {
    suites: analysis.suites.filter((s) => s.affected).map((s) => s.name),
    files: analysis.files,
    why: (suite: string) => analysis.suites.find((s) => s.name === suite)?.reason?.why,
  };
};

describe('analyzeTree', () => {
  it('follows an import into a directory go.mod replaces the module with, and into vendor/', async () => {
    const replaced = await selected(['third_party/lib/client/client.go']);
    expect(replaced.suites).toEqual(['api']);
    expect(replaced.why('api')).toMatch(/cmd\/api → third_party\/lib\/client$/);
    expect((await selected(['vendor/github.com/acme/log/log.go'])).suites).toEqual(['api']);
  });

  it('counts dot and aliased imports, assembly files, and files under any build constraint', async () => {
    expect((await selected(['pkg/queue/queue.go'])).suites).toEqual(['worker']);
    expect((await selected(['pkg/queue/fast_amd64.s'])).suites).toEqual(['worker']);
    expect((await selected(['pkg/queue/v2/queue.go'])).suites).toEqual(['worker']);
  });

  it('places the code of a module no suite builds, and selects no suite for it', async () => {
    const tools = await selected(['tools/gen/main.go']);
    expect(tools.suites).toEqual([]);
    expect(tools.files[0]?.why).toBe('Go code of another module (tools/go.mod), which no suite builds');
  });

  it('selects every suite for go.mod, a CI workflow, and a file it cannot place, saying which', async () => {
    expect((await selected(['go.mod'])).why('worker')).toBe(
      'the Go module’s dependencies (go.mod/go.sum), which every Go build reads',
    );
    const workflow = await selected(['.github/workflows/e2e.yml']);
    expect(workflow.suites).toEqual(['api', 'worker']);
    expect(workflow.why('api')).toMatch(/^a CI workflow/);
    const chart = await selected(['charts/shop/values.yaml']);
    expect(chart.suites).toEqual(['api', 'worker']);
    expect(chart.why('worker')).toMatch(/^no suite declares it/);
  });

  it('keeps a suite whose import does not resolve selected for any change, and one whose Dockerfile is gone', async () => {
    const broken = {
      ...TREE,
      'cmd/worker/main.go': 'package main\n\nimport _ "example.com/shop/pkg/generated"\n\nfunc main() {}\n',
    };
    const docs = await selected(['README.md'], broken);
    expect(docs.suites).toEqual(['worker']);
    expect(docs.why('worker')).toBe(
      'cmd/worker imports example.com/shop/pkg/generated: no Go package in pkg/generated/ of this tree: any change may reach it',
    );
    const { 'docker/api.Dockerfile': _gone, ...noDockerfile } = TREE;
    const missing = await selected(['README.md'], noDockerfile);
    expect(missing.suites).toEqual(['api']);
    expect(missing.why('api')).toMatch(/^image api: its Dockerfile docker\/api\.Dockerfile is not in memory/);
  });
});
