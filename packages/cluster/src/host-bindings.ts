/**
 * When two kind port mappings claim the same host socket. This is kind's own rule
 * (kubernetes-sigs/kind `pkg/internal/apis/config/validate.go`, `validatePortMappings`): the same host
 * port and protocol (TCP when unset; kind upper-cases it), and listen addresses that overlap — equal,
 * or either one a wildcard. An unset address is a wildcard (kind publishes on 0.0.0.0, or :: for
 * IPv6), and kind treats 0.0.0.0 and :: as the same wildcard. Host port 0 or -1 (or none) asks for a
 * random port, so it never collides.
 */
export interface HostBinding {
  readonly hostPort: number;
  readonly protocol: string;
  /** The listen address, or `undefined` for a wildcard. */
  readonly address: string | undefined;
}

interface PortMappingLike {
  readonly hostPort?: number | undefined;
  readonly protocol?: string | undefined;
  readonly listenAddress?: string | undefined;
}

/** The host socket a mapping binds, or `undefined` when it asks for a random port. */
export function hostBindingOf(mapping: PortMappingLike): HostBinding | undefined {
  const { hostPort } = mapping;
  if (hostPort === undefined || hostPort <= 0) return undefined;
  return {
    hostPort,
    protocol: (mapping.protocol ?? 'TCP').toUpperCase(),
    address: isWildcard(mapping.listenAddress) ? undefined : mapping.listenAddress?.toLowerCase(),
  };
}

export function bindingsOverlap(a: HostBinding, b: HostBinding): boolean {
  return (
    a.hostPort === b.hostPort &&
    a.protocol === b.protocol &&
    (a.address === undefined || b.address === undefined || a.address === b.address)
  );
}

/** `8080/TCP`, or `127.0.0.1:8080/TCP` when bound to one address. */
export function describeBinding(binding: HostBinding): string {
  const host =
    binding.address === undefined
      ? ''
      : `${binding.address.includes(':') ? `[${binding.address}]` : binding.address}:`;
  return `${host}${binding.hostPort}/${binding.protocol}`;
}

function isWildcard(address: string | undefined): boolean {
  if (address === undefined || address === '' || address === '0.0.0.0') return true;
  // Any spelling of the IPv6 unspecified address (`::`, `0::0`, `0:0:0:0:0:0:0:0`).
  return address.includes(':') && /^[0:]+$/.test(address);
}
