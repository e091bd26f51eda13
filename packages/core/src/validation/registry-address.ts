import { ConfigError } from '../errors/config-error.js';
import { formatImageRef, parseImageRef } from './image-ref.js';
import { registryAddressProblem } from './registry-address-rule.js';

export { registryAddressProblem };

/**
 * A registry a cluster pulls test images from: `host:port[/prefix]`, e.g. `localhost:5001` (kind's local
 * registry) or `registry.example.com:5000/e2e` (a shared cluster's). The port is required: without one an image
 * reference `registry.example.com/e2e/…` would be read as a Docker Hub path by some tools and as a host by others.
 */
export interface RegistryAddress {
  /** `host:port`, as image references and a containerd `hosts.toml` directory name spell it. */
  readonly hostPort: string;
  readonly host: string;
  readonly port: number;
  /** Path inside the registry every pushed repository goes under (no leading or trailing `/`); may be empty. */
  readonly prefix: string;
  /** `host:port[/prefix]`. */
  readonly text: string;
}

/** Parses `host:port[/prefix]`; throws `ConfigError` naming `field` for anything else. */
export function parseRegistryAddress(value: string, field = 'registry'): RegistryAddress {
  const problem = registryAddressProblem(value);
  if (problem !== undefined) throw ConfigError.field(field, problem);
  const slash = value.indexOf('/');
  const hostPort = slash < 0 ? value : value.slice(0, slash);
  const colon = hostPort.lastIndexOf(':');
  return {
    hostPort,
    host: hostPort.slice(0, colon),
    port: Number(hostPort.slice(colon + 1)),
    prefix: slash < 0 ? '' : value.slice(slash + 1),
    text: value,
  };
}

/**
 * Where a locally built image goes in the registry: its own registry host (`localhost`, `docker.io`, none) is
 * replaced by the address, the repository path and tag are kept.
 * `localhost/kubernaut/gateway:e2e-1a2b` + `localhost:5001` → `localhost:5001/kubernaut/gateway:e2e-1a2b`.
 */
export function registryImageRef(ref: string, registry: RegistryAddress): string {
  const { registry: _own, digest: _digest, ...rest } = parseImageRef(ref, 'ref');
  const repository = registry.prefix ? `${registry.prefix}/${rest.repository}` : rest.repository;
  return formatImageRef({ registry: registry.hostPort, repository, ...(rest.tag ? { tag: rest.tag } : {}) });
}
