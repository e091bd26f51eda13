import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `init` looks at in a checkout laid out like kubernaut's. */
export interface CheckoutScan {
  /** `test/e2e/<suite>/` directories, sorted. */
  readonly suites: readonly string[];
  /** `docker/*.Dockerfile` file names, sorted. */
  readonly dockerfiles: readonly string[];
  /** Those of them with a `COPY`/`ADD` of the whole build context (`COPY . .`): they see every file of the checkout. */
  readonly copyWholeContext: readonly string[];
}

function entries(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
}

export function scanCheckout(root: string): CheckoutScan {
  const e2e = join(root, 'test', 'e2e');
  const suites = entries(e2e).filter((name) => statSync(join(e2e, name)).isDirectory());
  const docker = join(root, 'docker');
  const dockerfiles = entries(docker).filter(
    (name) => name.endsWith('.Dockerfile') && statSync(join(docker, name)).isFile(),
  );
  const copyWholeContext = dockerfiles.filter((name) =>
    copiesWholeContext(readFileSync(join(docker, name), 'utf8')),
  );
  return { suites, dockerfiles, copyWholeContext };
}

/**
 * A `COPY` or `ADD` whose sources include `.` (`COPY . .`, `COPY --chown=1001:0 . .`, `ADD ./ /src`), not from another
 * stage or image (`--from`). Continuation lines are joined first.
 */
export function copiesWholeContext(dockerfile: string): boolean {
  const instructions = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  return instructions.some((line) => {
    const words = line.trim().split(/\s+/);
    if (!/^(copy|add)$/i.test(words[0] ?? '')) return false;
    const operands = words.slice(1).filter((w) => !w.startsWith('--'));
    if (words.some((w) => w.startsWith('--from'))) return false;
    return operands.slice(0, -1).some((source) => source === '.' || source === './');
  });
}

/** `data-storage.Dockerfile`, `notification-controller.runtime.Dockerfile` → the suite they build for: `datastorage`, `notification`. */
export function suiteOfDockerfile(name: string): string {
  return name
    .replace(/\.Dockerfile$/, '')
    .replace(/\.runtime$/, '')
    .replace(/-controller$/, '')
    .replaceAll('-', '');
}
