import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderKindConfig } from './kind-config.js';
import { DEFAULT_KIND_NODE_IMAGE, type KindClusterConfigInput } from './kind-config-schema.js';
import { mergeKindConfig } from './merge-kind-config.js';

const FILE = 'test/infrastructure/kind-gateway-config.yaml';
const sources = { base: FILE, additions: 'setup' };
const IMAGE = 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

/** Shaped like a repository's gateway kind config: one pinned control-plane node, six TCP mappings, a mount. */
function gatewayFile(): KindClusterConfigInput {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [
      {
        role: 'control-plane',
        image: IMAGE,
        extraMounts: [{ hostPath: '/src/kubernaut/coverdata', containerPath: '/coverdata', readOnly: false }],
        extraPortMappings: [
          { containerPort: 30080, hostPort: 8080, protocol: 'TCP' },
          { containerPort: 30180, hostPort: 28080, protocol: 'TCP' },
          { containerPort: 30090, hostPort: 9090, protocol: 'TCP' },
          { containerPort: 30081, hostPort: 18091, protocol: 'TCP' },
          { containerPort: 30281, hostPort: 28091, protocol: 'TCP' },
          { containerPort: 30185, hostPort: 28185, protocol: 'TCP' },
        ],
      },
    ],
  };
}

function conflict(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('mergeKindConfig', () => {
  it('adds what the setup needs to the control-plane node, keeps the file’s entries and says what it did', () => {
    const { config, changes } = mergeKindConfig(
      gatewayFile(),
      {
        portMappings: [
          { containerPort: 30432, hostPort: 25433, source: 'setup hostPorts.postgresql' },
          { containerPort: 30090, hostPort: 9090, protocol: 'TCP', source: 'setup hostPorts.gatewayMetrics' },
          { containerPort: 30053, hostPort: 8080, protocol: 'UDP', source: 'setup hostPorts.dns' },
        ],
        mounts: [
          { hostPath: '/tmp/run-1/ca', containerPath: '/ca', readOnly: true, source: 'setup webhook CA' },
        ],
      },
      { sources },
    );

    const node = config.nodes[0]!;
    expect(node.extraPortMappings?.map((m) => [m.hostPort, m.containerPort, m.protocol])).toEqual([
      [8080, 30080, 'TCP'],
      [28080, 30180, 'TCP'],
      [9090, 30090, 'TCP'],
      [18091, 30081, 'TCP'],
      [28091, 30281, 'TCP'],
      [28185, 30185, 'TCP'],
      [25433, 30432, undefined],
      // Same host port as the gateway's, other protocol: a different socket, so no conflict.
      [8080, 30053, 'UDP'],
    ]);
    expect(node.extraMounts).toEqual([
      { hostPath: '/src/kubernaut/coverdata', containerPath: '/coverdata', readOnly: false },
      { hostPath: '/tmp/run-1/ca', containerPath: '/ca', readOnly: true },
    ]);
    expect(changes).toEqual([
      `kept the 6 port mappings of ${FILE}, added 2: 25433/TCP → 30432 (setup hostPorts.postgresql), 8080/UDP → 30053 (setup hostPorts.dns); 1 already there: 9090/TCP → 30090 (setup hostPorts.gatewayMetrics)`,
      `kept the 1 mount of ${FILE}, added 1: /tmp/run-1/ca → /ca (setup webhook CA)`,
    ]);
    // The result renders as a kind config with the additions in it.
    const rendered = parseYaml(renderKindConfig(config));
    expect(rendered.nodes[0].extraPortMappings).toHaveLength(8);
    expect(rendered.nodes[0].image).toBe(IMAGE);
  });

  it('says "used as is" when the file already has everything', () => {
    const result = mergeKindConfig(gatewayFile(), {}, { sources });
    expect(result.changes).toEqual(['used as is']);
    expect(result.config.nodes[0]?.extraPortMappings).toHaveLength(6);
  });

  it('reports the node image it pins when the file pins none, and a default node when it has none', () => {
    const unpinned = mergeKindConfig(
      { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: [{ role: 'control-plane' }] },
      { portMappings: [{ containerPort: 30080, hostPort: 8080, source: 'setup hostPorts.gateway' }] },
      { sources },
    );
    expect(unpinned.changes).toEqual([
      `nodes[0] pins no node image: ${DEFAULT_KIND_NODE_IMAGE}`,
      `kept the 0 port mappings of ${FILE}, added 1: 8080/TCP → 30080 (setup hostPorts.gateway)`,
    ]);
    expect(unpinned.config.nodes[0]?.image).toBe(DEFAULT_KIND_NODE_IMAGE);

    const empty = mergeKindConfig({}, {}, { sources });
    expect(empty.changes).toEqual([
      `declares no nodes: one control-plane node on ${DEFAULT_KIND_NODE_IMAGE}`,
    ]);
  });

  it('adds to the first control-plane node even when a worker is listed first', () => {
    const { config } = mergeKindConfig(
      {
        nodes: [
          { role: 'worker', image: IMAGE },
          { role: 'control-plane', image: IMAGE },
        ],
      },
      { portMappings: [{ containerPort: 30080, hostPort: 8080 }] },
      { sources },
    );
    expect(config.nodes.map((n) => n.extraPortMappings?.length ?? 0)).toEqual([0, 1]);
  });

  it('refuses a host port the file maps to another container port, naming both sources', () => {
    const error = conflict(() =>
      mergeKindConfig(
        gatewayFile(),
        { portMappings: [{ containerPort: 30099, hostPort: 9090, source: 'setup hostPorts.gateway' }] },
        { sources },
      ),
    );
    expect(error.issues).toEqual([
      {
        path: 'setup hostPorts.gateway',
        message: `host port 9090/TCP is mapped to container port 30090 by ${FILE} nodes[0].extraPortMappings[2] and to container port 30099 by setup hostPorts.gateway — change one of the two host ports`,
      },
    ]);
    expect(error.message).toContain(`Invalid kind config ${FILE} with the setup's additions`);
  });

  it('refuses a host port on any node, a specific address under the file’s wildcard, and the API server’s port', () => {
    const base: KindClusterConfigInput = {
      networking: { apiServerPort: 6443 },
      nodes: [
        { role: 'control-plane', image: IMAGE },
        { role: 'worker', image: IMAGE, extraPortMappings: [{ containerPort: 30080, hostPort: 8080 }] },
      ],
    };
    const error = conflict(() =>
      mergeKindConfig(
        base,
        {
          portMappings: [
            { containerPort: 30081, hostPort: 8080, listenAddress: '127.0.0.1' },
            { containerPort: 30082, hostPort: 6443 },
          ],
        },
        { sources },
      ),
    );
    expect(error.issues.map((i) => [i.path, i.message])).toEqual([
      ['setup portMappings[0]', expect.stringContaining(`by ${FILE} nodes[1].extraPortMappings[0]`)],
      ['setup portMappings[1]', expect.stringMatching(/host port 6443\/TCP is the API server's/)],
    ]);
  });

  it('refuses two additions that claim one host port for different container ports', () => {
    const error = conflict(() =>
      mergeKindConfig(
        gatewayFile(),
        {
          portMappings: [
            { containerPort: 30432, hostPort: 25433, source: 'setup hostPorts.postgresql' },
            { containerPort: 30433, hostPort: 25433, source: 'setup hostPorts.postgresqlReplica' },
          ],
        },
        { sources },
      ),
    );
    expect(error.issues).toEqual([
      {
        path: 'setup hostPorts.postgresqlReplica',
        message: expect.stringContaining('by setup hostPorts.postgresql and to container port 30433'),
      },
    ]);
  });

  it('keeps an identical mount once and refuses one container path from two host directories', () => {
    const same = mergeKindConfig(
      gatewayFile(),
      {
        mounts: [
          { hostPath: '/src/kubernaut/coverdata/', containerPath: '/coverdata', source: 'setup coverage' },
        ],
      },
      { sources },
    );
    expect(same.config.nodes[0]?.extraMounts).toHaveLength(1);
    expect(same.changes).toEqual([
      `kept the 1 mount of ${FILE}, 1 already there: /src/kubernaut/coverdata/ → /coverdata (setup coverage)`,
    ]);

    const error = conflict(() =>
      mergeKindConfig(
        gatewayFile(),
        {
          mounts: [
            { hostPath: '/tmp/run-1/coverdata', containerPath: '/coverdata', source: 'setup coverage' },
          ],
        },
        { sources },
      ),
    );
    expect(error.issues).toEqual([
      {
        path: 'setup coverage',
        message: `container path /coverdata is mounted from /src/kubernaut/coverdata by ${FILE} nodes[0].extraMounts[0] and from /tmp/run-1/coverdata by setup coverage; a node can mount a path once — use the same host directory in both`,
      },
    ]);

    // The same directory, read-only in the file and writable for the setup, is not the same mount.
    const readOnly = conflict(() =>
      mergeKindConfig(
        {
          nodes: [
            { image: IMAGE, extraMounts: [{ hostPath: '/d', containerPath: '/coverdata', readOnly: true }] },
          ],
        },
        { mounts: [{ hostPath: '/d', containerPath: '/coverdata' }] },
        { sources },
      ),
    );
    expect(readOnly.issues[0]?.message).toContain('from /d (read-only) by');
  });

  it('refuses an invalid base or addition, naming where it came from', () => {
    const badBase = conflict(() =>
      mergeKindConfig({ nodes: [{ role: 'control-plane', extraPortMapping: [] }] } as never, {}, { sources }),
    );
    expect(badBase.message).toContain(`Invalid kind config ${FILE}`);
    expect(badBase.issues.map((i) => i.path)).toEqual(['nodes[0].extraPortMapping']);

    const badAddition = conflict(() =>
      mergeKindConfig(
        gatewayFile(),
        {
          portMappings: [{ containerPort: 30080, hostPort: 80800, source: 'setup hostPorts.gateway' }],
          mounts: [{ hostPath: 'coverdata', containerPath: '/coverdata' }],
        },
        { sources },
      ),
    );
    expect(badAddition.issues.map((i) => i.path)).toEqual([
      'setup hostPorts.gateway hostPort',
      'setup mounts[0] hostPath',
    ]);
  });
});
