// Copies the fixture project, laid out like a kubernaut checkout, into dist/fixture-project: what the setup reads
// (Dockerfiles, migrations, config/crd/bases, the repository manifests under deploy/, the suites' kind configs under test/) and the build contexts the
// Dockerfiles copy (cmd/, test/services/), so the published package sets up a service on the simulated toolchain
// with no checkout, and its images still build with real podman.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../../services/fixture-project/', import.meta.url));
const target = fileURLToPath(new URL('../dist/fixture-project/', import.meta.url));
const parts = ['.dockerignore', 'cmd', 'config', 'deploy', 'docker', 'migrations', 'test'];

// The real Go build of the fixture (Go sources, docker/go, the base-image script) is for this repository's tests and
// `pnpm bench:build`: the published package needs only the build contexts the FROM scratch Dockerfiles copy.
const notRealGoBuild = (path) =>
  !path.endsWith('.go') && !/[/\\]docker[/\\]go$/.test(path) && !path.endsWith('build-go-base.sh');

rmSync(target, { recursive: true, force: true });
for (const part of parts) {
  if (existsSync(source + part))
    cpSync(source + part, target + part, { recursive: true, filter: notRealGoBuild });
}
