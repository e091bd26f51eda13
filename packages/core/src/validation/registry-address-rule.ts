/*
 * The registry-address rule as a plain function, without zod, so a command line checks `--registry` before it loads
 * anything heavy (`@kubernaut-e2e/core/names` re-exports it).
 */

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const PREFIX_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const FORM =
  'give host:port[/prefix] in lower case without a scheme, e.g. "localhost:5001" or "registry.example.com:5000/e2e"';

/** The problem with `value` as a registry address, or `undefined` when it is one. */
export function registryAddressProblem(value: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(value)) return `${JSON.stringify(value)} has a scheme; ${FORM}`;
  const slash = value.indexOf('/');
  const hostPort = slash < 0 ? value : value.slice(0, slash);
  const prefix = slash < 0 ? '' : value.slice(slash + 1);
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return `${JSON.stringify(value)} has no port; ${FORM}`;
  const host = hostPort.slice(0, colon);
  const port = hostPort.slice(colon + 1);
  if (!HOST.test(host)) return `${JSON.stringify(host)} is not a lower-case host name; ${FORM}`;
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535)
    return `port ${JSON.stringify(port)} is not a number from 1 to 65535; ${FORM}`;
  if (slash >= 0 && !prefix.split('/').every((c) => PREFIX_COMPONENT.test(c)))
    return `the prefix ${JSON.stringify(prefix)} is not a lower-case repository path; ${FORM}`;
  return undefined;
}
