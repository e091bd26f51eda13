/** What `kubectl port-forward` prints once a listener is open (client-go `tools/portforward`). */
export interface ForwardingLine {
  /** Listen address as printed: `127.0.0.1` or `[::1]`. */
  readonly address: string;
  readonly localPort: number;
  readonly remotePort: number;
}

/**
 * Matches `Forwarding from 127.0.0.1:41234 -> 5432` (and the `[::1]` variant). client-go prints it with
 * `fmt.Fprintf(out, "Forwarding from %s -> %d\n", net.JoinHostPort(address, localPort), remotePort)`
 * after the local listener is bound, so the line means the port is accepting connections.
 */
export const FORWARDING_LINE =
  /^Forwarding from (\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):(\d{1,5}) -> (\d{1,5})\s*$/;

export function parseForwardingLine(line: string): ForwardingLine | undefined {
  const match = FORWARDING_LINE.exec(line.trim());
  if (!match) return undefined;
  const localPort = Number(match[2]);
  const remotePort = Number(match[3]);
  if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535) return undefined;
  return { address: match[1]!, localPort, remotePort };
}
