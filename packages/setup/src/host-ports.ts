import { createServer } from 'node:net';
import { ConfigError } from '@kubernaut-e2e/core';

/**
 * Host ports claimed by setups running in this process. Four services set up at once must not collide: a clash is
 * refused before anything is created, naming the port and who holds it.
 */
const claimed = new Map<number, string>();

export interface PortClaim {
  release(): void;
}

export function claimHostPorts(owner: string, ports: Readonly<Record<string, number>>): PortClaim {
  const issues = Object.entries(ports)
    .filter(([, port]) => claimed.has(port))
    .map(([name, port]) => ({
      path: `hostPorts.${name}`,
      message: `host port ${port} is already used by ${claimed.get(port)}; pass another port in hostPorts.${name}`,
    }));
  if (issues.length > 0) throw new ConfigError(issues, { subject: `host ports for ${owner}` });
  for (const port of Object.values(ports)) claimed.set(port, owner);
  return {
    release: () => {
      for (const port of Object.values(ports)) if (claimed.get(port) === owner) claimed.delete(port);
    },
  };
}

/** True when nothing on this machine listens on `port` (checked by binding it briefly on all interfaces). */
export function isHostPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Refuses ports another program already listens on (real runtimes only: kind would fail much later). */
export async function assertHostPortsFree(
  owner: string,
  ports: Readonly<Record<string, number>>,
): Promise<void> {
  const busy: { name: string; port: number }[] = [];
  for (const [name, port] of Object.entries(ports))
    if (!(await isHostPortFree(port))) busy.push({ name, port });
  if (busy.length > 0) {
    throw new ConfigError(
      busy.map(({ name, port }) => ({
        path: `hostPorts.${name}`,
        message: `host port ${port} is already in use on this machine; stop what listens there or choose another port`,
      })),
      { subject: `host ports for ${owner}` },
    );
  }
}
