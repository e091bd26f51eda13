/**
 * How to install each external tool kubernaut-e2e drives. Shown in `ToolNotFoundError` so a missing
 * binary tells the user the exact next step instead of a bare `ENOENT`.
 */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  podman:
    'Install Podman: `sudo apt-get install -y podman` (Debian/Ubuntu), `sudo dnf install -y podman` (Fedora), `brew install podman` (macOS); see https://podman.io/docs/installation',
  docker:
    'Install Docker: `sudo apt-get install -y docker.io` (Debian/Ubuntu) or Docker Engine from https://docs.docker.com/engine/install/',
  kind: 'Install kind: `go install sigs.k8s.io/kind@latest`, `brew install kind`, or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  kubectl:
    'Install kubectl: `sudo apt-get install -y kubectl` (from the Kubernetes apt repository), `brew install kubectl`, or see https://kubernetes.io/docs/tasks/tools/',
  ctr: 'Install containerd, which provides `ctr`: `sudo apt-get install -y containerd` (Debian/Ubuntu)',
  psql: 'Install the PostgreSQL client: `sudo apt-get install -y postgresql-client` (Debian/Ubuntu) or `brew install libpq` (macOS)',
};

/** The install instructions for `tool` (a command name or a path to it). */
export function installHint(tool: string): string {
  const name = tool.split('/').pop() ?? tool;
  return INSTALL_HINTS[name] ?? `Install \`${name}\` and make sure its directory is on PATH`;
}
