import { ConfigError } from '@kubernaut-e2e/core';
import { claimHostPorts, type PortClaim } from './host-ports.js';

const clusterOwners = new Map<string, string>();

/**
 * Reserves a setup's cluster name and host ports in this process, so parallel setups (four services at once)
 * are refused before anything is created instead of colliding halfway.
 */
export function claimSetupResources(
  owner: string,
  clusterName: string,
  hostPorts: Readonly<Record<string, number>>,
): PortClaim {
  const holder = clusterOwners.get(clusterName);
  if (holder !== undefined) {
    throw ConfigError.field(
      'clusterName',
      `cluster "${clusterName}" is already being used by ${holder} in this process; pass another clusterName`,
      `setup of ${owner}`,
    );
  }
  const ports = claimHostPorts(owner, hostPorts);
  clusterOwners.set(clusterName, owner);
  return {
    release: () => {
      ports.release();
      if (clusterOwners.get(clusterName) === owner) clusterOwners.delete(clusterName);
    },
  };
}
