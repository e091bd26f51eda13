import { parseVersion, type ToolVersion } from './versions.js';

/** `podman --version` → `podman version 4.3.1`. */
export function parsePodmanVersion(stdout: string): ToolVersion | undefined {
  const match = /podman version (\S+)/i.exec(stdout);
  return match ? parseVersion(match[1]!) : undefined;
}

/**
 * Docker's client version, from `docker version --format {{.Client.Version}}` (just `28.2.2`) or
 * `docker --version` (`Docker version 28.2.2, build e6534b4`).
 */
export function parseDockerVersion(stdout: string): ToolVersion | undefined {
  const text = stdout.trim();
  const match = /^Docker version (\S+?),?(?:\s|$)/m.exec(text) ?? /^(\d+\.\d+\S*)$/m.exec(text);
  return match ? parseVersion(match[1]!) : undefined;
}

/** `kind version` → `kind v0.27.0 go1.24.0 darwin/arm64` (older: `kind version 0.11.1`). */
export function parseKindVersion(stdout: string): ToolVersion | undefined {
  const match = /kind (?:version )?(v?\d+\.\d+\S*)/.exec(stdout);
  return match ? parseVersion(match[1]!) : undefined;
}

/** `kubectl version --client -o json` → `{ "clientVersion": { "gitVersion": "v1.32.4", … } }`. */
export function parseKubectlClientVersion(stdout: string): ToolVersion | undefined {
  // kubectl may print a warning line before the JSON document.
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    const document = JSON.parse(stdout.slice(start)) as {
      clientVersion?: { gitVersion?: string; major?: string; minor?: string };
    };
    const client = document.clientVersion;
    if (client?.gitVersion) return parseVersion(client.gitVersion);
    if (client?.major && client.minor)
      return parseVersion(`${client.major}.${client.minor.replace(/\D+$/, '')}`);
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** Any `<tool> --version` output: the first dotted version in it. */
export function parseGenericVersion(stdout: string): ToolVersion | undefined {
  return parseVersion(stdout);
}
