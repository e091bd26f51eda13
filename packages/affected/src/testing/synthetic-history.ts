import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandRunner } from '@kubernaut-e2e/core';
import { defineService, defineStack, type Service } from '@kubernaut-e2e/setup';

/** The module of the synthetic project: three services over shared packages, laid out like kubernaut. */
export const SYNTHETIC_MODULE = 'example.com/shop';
/** Its suites, one per binary: `cmd/<suite>`, `docker/<suite>.Dockerfile`, `test/e2e/<suite>/`. */
export const SYNTHETIC_SUITES = ['gateway', 'orders', 'billing'] as const;

/** One commit of the history and the suites its change must select (what a reader of the change would say). */
export interface SyntheticCommit {
  readonly message: string;
  /** Path → new content, or `null` to delete the file. */
  readonly files: Readonly<Record<string, string | null>>;
  readonly expected: readonly (typeof SYNTHETIC_SUITES)[number][];
}

export interface SyntheticHistory {
  /** The repository (a temp directory the caller removes). */
  readonly root: string;
  readonly services: readonly Service[];
  /** The commits after the initial one, oldest first, each with its id. */
  readonly commits: readonly (SyntheticCommit & { readonly id: string })[];
}

const main = (imports: string[]) => `package main

import (
\t"fmt"
${imports.map((i) => `\t"${SYNTHETIC_MODULE}/${i}"`).join('\n')}
)

func main() {
\tfmt.Println(${imports.map((i) => `${i.split('/').at(-1)}.Name()`).join(', ')})
}
`;
const library = (name: string, imports: string[] = [], extra = '') => `package ${name}

${imports.length > 0 ? `import (\n${imports.map((i) => `\t"${i.includes('.') ? i : `${SYNTHETIC_MODULE}/${i}`}"`).join('\n')}\n)\n\n` : ''}// Name names the package${extra ? ` (${extra})` : ''}.
func Name() string { return "${name}"${imports
  .filter((i) => !i.includes('.') && i !== 'embed')
  .map((i) => ` + ${i.split('/').at(-1)}.Name()`)
  .join('')} }
`;
/** A builder stage that copies the whole repository and compiles one binary, as kubernaut's Dockerfiles do. */
const dockerfile = (
  binary: string,
  build = `go build -o ${binary} ./cmd/${binary}`,
) => `FROM golang:1.19 AS builder
ARG GOFLAGS=""
WORKDIR /src
COPY go.mod ./
COPY . .
RUN if [ "\${GOFLAGS}" = "-cover" ]; then \\
      CGO_ENABLED=0 GOFLAGS=\${GOFLAGS} ${build}; \\
    else \\
      CGO_ENABLED=0 ${build}; \\
    fi

FROM scratch
COPY --from=builder /etc/passwd /etc/passwd
COPY --from=builder /src/${binary} /${binary}
ENTRYPOINT ["/${binary}"]
`;
const e2eTest = (suite: string, extra = '') => `package ${suite}_e2e

import (
\t"testing"

\t"${SYNTHETIC_MODULE}/test/infrastructure"
)

func Test${suite[0]!.toUpperCase()}${suite.slice(1)}(t *testing.T) {
\tif infrastructure.Name() == "" {
\t\tt.Fatal("no infrastructure")${extra}
\t}
}
`;

const ordersCrd = (labels = '') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: orders.shop.example.com${labels}
spec:
  group: shop.example.com
  names: { kind: Order, listKind: OrderList, plural: orders, singular: order }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

const INITIAL: Record<string, string> = {
  'go.mod': `module ${SYNTHETIC_MODULE}\n\ngo 1.19\n`,
  'README.md': '# shop\n',
  'cmd/gateway/main.go': main(['pkg/gateway', 'pkg/shared/httpx']),
  'cmd/orders/main.go': main(['pkg/orders', 'pkg/shared/httpx']),
  'cmd/billing/main.go': main(['pkg/billing']),
  'pkg/gateway/gateway.go': library('gateway', ['pkg/shared/httpx']),
  'pkg/gateway/gateway_test.go':
    'package gateway\n\nimport "testing"\n\nfunc TestName(t *testing.T) { _ = Name() }\n',
  'pkg/orders/orders.go': library('orders', ['pkg/shared/db']),
  'pkg/billing/billing.go': `package billing

import (
\t_ "embed"

\t"${SYNTHETIC_MODULE}/pkg/shared/db"
)

//go:embed templates/invoice.tmpl
var invoice string

// Name names the package.
func Name() string { return "billing" + db.Name() + invoice }
`,
  'pkg/billing/templates/invoice.tmpl': 'Invoice {{.ID}}\n',
  'pkg/shared/httpx/httpx.go': library('httpx'),
  'pkg/shared/db/db.go': library('db'),
  'pkg/unused/unused.go': library('unused'),
  'docker/gateway.Dockerfile': dockerfile('gateway'),
  'docker/orders.Dockerfile': dockerfile('orders'),
  'docker/billing.Dockerfile': dockerfile('billing'),
  'test/infrastructure/infrastructure.go': library('infrastructure'),
  'test/e2e/gateway/gateway_test.go': e2eTest('gateway'),
  'test/e2e/orders/orders_test.go': e2eTest('orders'),
  'test/e2e/billing/billing_test.go': e2eTest('billing'),
  'config/crd/shop.example.com_orders.yaml': ordersCrd(),
  'migrations/001_orders.sql': '-- +goose Up\nCREATE TABLE orders (id text);\n',
  'deploy/billing/kustomization.yaml': 'resources:\n  - ../base\n  - billing.yaml\n',
  'deploy/base/kustomization.yaml': 'resources:\n  - rbac.yaml\n',
  'deploy/billing/billing.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: billing\n',
  'deploy/base/rbac.yaml':
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: shop-reader\n',
};

/**
 * The history's commits after the initial one. Each states the suites a correct `affected` selects: a change in one
 * service's package selects that service alone; a shared package, every service compiling it; go.mod and the shared
 * test infrastructure, every suite; documentation, unit tests and a package nothing imports, none; an import that
 * does not resolve, and a Dockerfile that runs a command the analysis does not follow, keep their suite selected.
 */
export const SYNTHETIC_COMMITS: readonly SyntheticCommit[] = [
  {
    message: 'orders: a change in its own package',
    files: { 'pkg/orders/orders.go': library('orders', ['pkg/shared/db'], 'v2') },
    expected: ['orders'],
  },
  {
    message: 'shared db package (orders and billing compile it)',
    files: { 'pkg/shared/db/db.go': library('db', [], 'pooled') },
    expected: ['orders', 'billing'],
  },
  {
    message: 'shared httpx package (gateway and orders)',
    files: { 'pkg/shared/httpx/httpx.go': library('httpx', [], 'timeouts') },
    expected: ['gateway', 'orders'],
  },
  {
    message: 'docs only',
    files: { 'README.md': '# shop\n\nThree services.\n', 'docs/design.md': '# design\n' },
    expected: [],
  },
  {
    message: 'a unit test of the gateway package',
    files: {
      'pkg/gateway/gateway_test.go':
        'package gateway\n\nimport "testing"\n\nfunc TestName(t *testing.T) { _ = Name() + "x" }\n',
    },
    expected: [],
  },
  {
    message: 'a package no binary imports',
    files: { 'pkg/unused/unused.go': library('unused', [], 'still unused') },
    expected: [],
  },
  {
    message: 'billing E2E test',
    files: { 'test/e2e/billing/billing_test.go': e2eTest('billing', '\n\t\tt.Log("again")') },
    expected: ['billing'],
  },
  {
    message: 'shared test infrastructure',
    files: { 'test/infrastructure/infrastructure.go': library('infrastructure', [], 'kind') },
    expected: ['gateway', 'orders', 'billing'],
  },
  {
    message: 'go.mod',
    files: { 'go.mod': `module ${SYNTHETIC_MODULE}\n\ngo 1.19\n\n// pinned toolchain\n` },
    expected: ['gateway', 'orders', 'billing'],
  },
  {
    message: 'billing template (embedded)',
    files: { 'pkg/billing/templates/invoice.tmpl': 'Invoice {{.ID}} due {{.Due}}\n' },
    expected: ['billing'],
  },
  {
    message: 'orders CRD',
    files: { 'config/crd/shop.example.com_orders.yaml': ordersCrd('\n  labels: { v: "2" }') },
    expected: ['orders'],
  },
  {
    message: 'a migration (orders and billing apply them)',
    files: { 'migrations/002_invoices.sql': '-- +goose Up\nCREATE TABLE invoices (id text);\n' },
    expected: ['orders', 'billing'],
  },
  {
    message: 'kustomize base the billing manifests reference',
    files: {
      'deploy/base/rbac.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: shop-reader\n  labels: {v: "2"}\n',
    },
    expected: ['billing'],
  },
  {
    message: 'gateway starts importing the orders package',
    files: { 'cmd/gateway/main.go': main(['pkg/gateway', 'pkg/shared/httpx', 'pkg/orders']) },
    expected: ['gateway'],
  },
  {
    message: 'orders package again: now the gateway compiles it too',
    files: { 'pkg/orders/orders.go': library('orders', ['pkg/shared/db'], 'v3') },
    expected: ['gateway', 'orders'],
  },
  {
    message: 'billing imports a package that is not committed (generated)',
    files: {
      'pkg/billing/gen.go': `package billing\n\nimport _ "${SYNTHETIC_MODULE}/pkg/billing/generated"\n`,
    },
    expected: ['billing'],
  },
  {
    message: 'an unrelated package: billing stays selected while its import does not resolve',
    files: { 'pkg/unused/unused.go': library('unused', [], 'unrelated') },
    expected: ['billing'],
  },
  {
    message: 'the generated package is committed',
    files: { 'pkg/billing/generated/generated.go': library('generated') },
    expected: ['billing'],
  },
  {
    message: 'gateway Dockerfile',
    files: {
      'docker/gateway.Dockerfile': dockerfile('gateway', 'go build -trimpath -o gateway ./cmd/gateway'),
    },
    expected: ['gateway'],
  },
  {
    message: 'billing Dockerfile runs make after COPY . .',
    files: { 'docker/billing.Dockerfile': dockerfile('billing', 'make billing') },
    expected: ['billing'],
  },
  {
    message: 'an unrelated package: the whole context is billing’s input now',
    files: { 'pkg/unused/unused.go': library('unused', [], 'context') },
    expected: ['billing'],
  },
  {
    message: 'a Makefile (not Go, not declared, not documentation)',
    files: { Makefile: 'billing:\n\tgo build ./cmd/billing\n' },
    expected: ['gateway', 'orders', 'billing'],
  },
  {
    message: 'billing Dockerfile builds with go build again',
    files: { 'docker/billing.Dockerfile': dockerfile('billing') },
    expected: ['billing'],
  },
  {
    message: 'gateway package file deleted',
    files: {
      'pkg/gateway/extra.go': null,
      'pkg/gateway/gateway.go': library('gateway', ['pkg/shared/httpx'], 'v2'),
    },
    expected: ['gateway'],
  },
];

/** The database orders and billing share: PostgreSQL and the repository's migrations (a stack both use). */
const shopDatabase = () =>
  defineStack({
    name: 'shop-database',
    images: { postgres: { ref: 'docker.io/library/postgres:16-alpine' } },
    secrets: [
      {
        name: 'shop-db',
        files: {
          POSTGRES_USER: { text: 'shop' },
          POSTGRES_PASSWORD: { text: 'shop' },
          POSTGRES_DB: { text: 'shop' },
        },
      },
    ],
    deployments: [
      {
        id: 'postgresql',
        image: 'postgres',
        ports: [{ name: 'postgresql', port: 5432 }],
        secretEnv: {
          POSTGRES_USER: { secret: 'shop-db', key: 'POSTGRES_USER' },
          POSTGRES_PASSWORD: { secret: 'shop-db', key: 'POSTGRES_PASSWORD' },
          POSTGRES_DB: { secret: 'shop-db', key: 'POSTGRES_DB' },
        },
        probes: { readiness: { exec: ['pg_isready', '-U', 'shop'] } },
      },
    ],
    migrations: [
      {
        id: 'migrate',
        directory: 'migrations',
        via: 'postgresql',
        database: { database: 'shop', user: 'shop', password: 'shop' },
      },
    ],
  });

/** The three suites' declarations (`defineService`), as a project config would have them. */
export function syntheticServices(): Service[] {
  const database = shopDatabase();
  return SYNTHETIC_SUITES.map((name, i) =>
    defineService({
      name,
      hostPorts: { [name]: 19600 + i },
      images: { [name]: { dockerfile: `docker/${name}.Dockerfile` } },
      ...(name !== 'gateway' ? { uses: [database] } : {}),
      ...(name === 'orders' ? { crds: ['config/crd/shop.example.com_orders.yaml'] } : {}),
      ...(name === 'billing' ? { manifests: [{ id: 'billing-manifests', from: 'deploy/billing' }] } : {}),
      deployments: [
        {
          id: name,
          image: name,
          ...(name !== 'gateway' ? { dependsOn: ['migrate'] } : {}),
          ports: [{ name: 'http', port: 8080 }],
          publish: { port: 'http', hostPort: name, nodePort: 30600 + i },
          probes: { readiness: { path: '/readyz', port: 'http' } },
        },
      ],
    }),
  );
}

/**
 * Writes the synthetic project into a new temp git repository and commits its history with real `git` (through
 * `runner`, argv arrays): the initial tree, then `SYNTHETIC_COMMITS` one by one. The caller removes `root`.
 */
export async function createSyntheticHistory(runner: CommandRunner): Promise<SyntheticHistory> {
  const root = mkdtempSync(join(tmpdir(), 'kubernaut-e2e-affected-'));
  const env = {
    GIT_AUTHOR_NAME: 'synthetic',
    GIT_AUTHOR_EMAIL: 'synthetic@example.invalid',
    GIT_COMMITTER_NAME: 'synthetic',
    GIT_COMMITTER_EMAIL: 'synthetic@example.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  };
  const git = (args: string[]) =>
    runner.run('git', ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
      cwd: root,
      env,
    });
  try {
    await git(['init', '--quiet', '--initial-branch=main']);
    const commit = async (message: string, files: Readonly<Record<string, string | null>>) => {
      for (const [path, content] of Object.entries(files)) {
        const file = join(root, path);
        if (content === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, content);
        }
      }
      await git(['add', '--all']);
      await git(['commit', '--quiet', '--allow-empty', '-m', message]);
      return (await git(['rev-parse', 'HEAD'])).stdout.trim();
    };
    await commit('initial: three services over shared packages', {
      ...INITIAL,
      'pkg/gateway/extra.go':
        'package gateway\n\n// Extra is more of it.\nfunc Extra() string { return "extra" }\n',
    });
    const commits: (SyntheticCommit & { id: string })[] = [];
    for (const c of SYNTHETIC_COMMITS) commits.push({ ...c, id: await commit(c.message, c.files) });
    return { root, services: syntheticServices(), commits };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
