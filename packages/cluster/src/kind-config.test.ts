import { ConfigError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  COVERAGE_CONTAINER_PATH,
  coverageMount,
  kubeadmApiServerPatch,
  parseKindConfig,
  renderKindConfig,
} from './kind-config.js';
import { DEFAULT_KIND_NODE_IMAGE, kindClusterConfigSchema } from './kind-config-schema.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = kindClusterConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('renderKindConfig', () => {
  it('renders a full config that parses back to kind v1alpha4 with every field in kind’s own names', () => {
    const config = kindClusterConfigSchema.parse({
      nodes: [
        {
          role: 'control-plane',
          image:
            'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a',
          extraPortMappings: [
            { containerPort: 30081, hostPort: 8081, listenAddress: '127.0.0.1', protocol: 'TCP' },
            { containerPort: 30432, hostPort: 5432 },
          ],
          extraMounts: [
            coverageMount('/tmp/coverdata'),
            { hostPath: '/srv/ca', containerPath: '/ca', readOnly: true },
          ],
          kubeadmConfigPatches: [
            kubeadmApiServerPatch({ maxRequestsInflight: 800, maxMutatingRequestsInflight: 400 }),
          ],
        },
        { role: 'worker', extraPortMappings: [{ containerPort: 30090, hostPort: 9090 }] },
      ],
      networking: { apiServerAddress: '127.0.0.1', podSubnet: '10.244.0.0/16' },
    });

    const yaml = renderKindConfig(config);
    const doc = parseYaml(yaml);

    expect(doc).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [
        {
          role: 'control-plane',
          image:
            'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a',
          extraPortMappings: [
            { containerPort: 30081, hostPort: 8081, listenAddress: '127.0.0.1', protocol: 'TCP' },
            { containerPort: 30432, hostPort: 5432 },
          ],
          extraMounts: [
            { hostPath: '/tmp/coverdata', containerPath: '/coverdata' },
            { hostPath: '/srv/ca', containerPath: '/ca', readOnly: true },
          ],
          kubeadmConfigPatches: [expect.any(String)],
        },
        {
          role: 'worker',
          image: DEFAULT_KIND_NODE_IMAGE,
          extraPortMappings: [{ containerPort: 30090, hostPort: 9090 }],
        },
      ],
      networking: { apiServerAddress: '127.0.0.1', podSubnet: '10.244.0.0/16' },
    });
    // The patch survives as a YAML document kubeadm can read.
    expect(parseYaml(doc.nodes[0].kubeadmConfigPatches[0])).toEqual({
      kind: 'ClusterConfiguration',
      apiServer: { extraArgs: { 'max-requests-inflight': '800', 'max-mutating-requests-inflight': '400' } },
    });
    // No explicit nulls: kind's strict decoder treats absent and null differently.
    expect(yaml).not.toMatch(/null/);
  });

  it('defaults to one control-plane node on the digest-pinned default image', () => {
    const doc = parseYaml(renderKindConfig(kindClusterConfigSchema.parse({})));
    expect(doc).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{ role: 'control-plane', image: DEFAULT_KIND_NODE_IMAGE }],
    });
    expect(DEFAULT_KIND_NODE_IMAGE).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
  });

  it('validates what it renders: a hand-built bad config is a ConfigError naming the field', () => {
    expect(() =>
      renderKindConfig({
        nodes: [{ role: 'control-plane', extraMounts: [{ hostPath: 'x', containerPath: '/x' }] }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'KE_CONFIG',
        issues: [expect.objectContaining({ path: 'nodes[0].extraMounts[0].hostPath' })],
      }),
    );
  });
});

describe('kubeadmApiServerPatch', () => {
  it('sets only the limits given, as string flag values', () => {
    expect(parseYaml(kubeadmApiServerPatch({ maxMutatingRequestsInflight: 1000 }))).toEqual({
      kind: 'ClusterConfiguration',
      apiServer: { extraArgs: { 'max-mutating-requests-inflight': '1000' } },
    });
  });

  it('refuses an empty or non-positive limit', () => {
    expect(() => kubeadmApiServerPatch({})).toThrow(/maxRequestsInflight/);
    expect(() => kubeadmApiServerPatch({ maxRequestsInflight: 0 })).toThrow(/positive integers/);
  });
});

describe('coverageMount', () => {
  it('mounts the host directory at /coverdata', () => {
    expect(coverageMount('/var/tmp/cover')).toEqual({
      hostPath: '/var/tmp/cover',
      containerPath: COVERAGE_CONTAINER_PATH,
    });
    expect(COVERAGE_CONTAINER_PATH).toBe('/coverdata');
  });
});

describe('kindClusterConfigSchema rejects bad input with the field named', () => {
  it('a host port used twice, across nodes', () => {
    const issues = issuesOf({
      nodes: [
        { role: 'control-plane', extraPortMappings: [{ containerPort: 30081, hostPort: 8081 }] },
        { role: 'worker', extraPortMappings: [{ containerPort: 30082, hostPort: 8081 }] },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'nodes.1.extraPortMappings.0.hostPort',
        message: expect.stringMatching(
          /host port 8081\/TCP is already mapped at nodes\[0\]\.extraPortMappings\[0\]\.hostPort/,
        ),
      },
    ]);
  });

  it('a host port equal to the API server port', () => {
    const issues = issuesOf({
      nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 30081, hostPort: 6443 }] }],
      networking: { apiServerPort: 6443 },
    });
    expect(issues.map((i) => i.path)).toEqual(['networking.apiServerPort']);
  });

  it.each([-2, 70000, 80.5])('host port %s', (hostPort) => {
    const issues = issuesOf({
      nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 80, hostPort }] }],
    });
    expect(issues.map((i) => i.path)).toEqual(['nodes.0.extraPortMappings.0.hostPort']);
  });

  it('a container port out of range', () => {
    const issues = issuesOf({
      nodes: [{ role: 'control-plane', extraPortMappings: [{ containerPort: 0, hostPort: 80 }] }],
    });
    expect(issues).toEqual([
      { path: 'nodes.0.extraPortMappings.0.containerPort', message: 'containerPort must be 1–65535' },
    ]);
  });

  it('a relative mount path', () => {
    const issues = issuesOf({
      nodes: [
        { role: 'control-plane', extraMounts: [{ hostPath: 'coverdata', containerPath: '/coverdata' }] },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'nodes.0.extraMounts.0.hostPath',
        message: expect.stringMatching(
          /^hostPath must be an absolute path \(starting with "\/"\); loadKindConfigFile/,
        ),
      },
    ]);
  });

  it('a node image that is not pinned', () => {
    expect(issuesOf({ nodes: [{ role: 'control-plane', image: 'kindest/node' }] })).toEqual([
      { path: 'nodes.0.image', message: expect.stringMatching(/pinned with a tag or a digest/) },
    ]);
    expect(
      issuesOf({ nodes: [{ role: 'control-plane', image: 'localhost:5000/kindest/node' }] }),
    ).toHaveLength(1);
    expect(
      issuesOf({ nodes: [{ role: 'control-plane', image: 'localhost:5000/kindest/node:v1.34.0' }] }),
    ).toEqual([]);
  });

  it('a kubeadm patch that is not YAML or names no kind', () => {
    const issues = issuesOf({
      kubeadmConfigPatches: ['apiServer: [unclosed', 'apiServer:\n  extraArgs: {}\n'],
    });
    expect(issues.map((i) => i.path)).toEqual(['kubeadmConfigPatches.0', 'kubeadmConfigPatches.1']);
    expect(issues[0]!.message).toMatch(/not valid YAML/);
    expect(issues[1]!.message).toMatch(/must name its target with `kind:`/);
  });

  it('a cluster without a control-plane node, and unknown fields', () => {
    expect(issuesOf({ nodes: [{ role: 'worker' }] })).toEqual([
      { path: 'nodes', message: 'a kind cluster needs at least one control-plane node' },
    ]);
    expect(issuesOf({ nodes: [{ role: 'control-plane', extraPortMapping: [] }] }).map((i) => i.path)).toEqual(
      ['nodes.0'],
    );
  });
});

describe('host port bindings follow kind’s rule (same port, protocol and overlapping address)', () => {
  const withMappings = (...extraPortMappings: object[]) => ({
    nodes: [{ role: 'control-plane', extraPortMappings }],
  });

  it('allows one host port for TCP and UDP, or on two different addresses', () => {
    expect(
      issuesOf(
        withMappings(
          { containerPort: 30053, hostPort: 53, protocol: 'TCP' },
          { containerPort: 30053, hostPort: 53, protocol: 'udp' },
          { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1' },
          { containerPort: 30081, hostPort: 8080, listenAddress: '127.0.0.2' },
        ),
      ),
    ).toEqual([]);
  });

  it('refuses a wildcard and a specific address on the same port (unset protocol is TCP)', () => {
    expect(
      issuesOf(
        withMappings(
          { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
          { containerPort: 30081, hostPort: 8080 },
        ),
      ),
    ).toEqual([
      {
        path: 'nodes.0.extraPortMappings.1.hostPort',
        message: expect.stringMatching(
          /^host port 8080\/TCP is already mapped at .*\(127\.0\.0\.1:8080\/TCP\)/,
        ),
      },
    ]);
    // kind treats 0.0.0.0 and :: as the same wildcard.
    expect(
      issuesOf(
        withMappings(
          { containerPort: 30080, hostPort: 8080, listenAddress: '0.0.0.0' },
          { containerPort: 30081, hostPort: 8080, listenAddress: '::' },
        ),
      ),
    ).toHaveLength(1);
  });

  it('lets several mappings ask for a random host port (unset, 0 or -1)', () => {
    expect(
      issuesOf(
        withMappings(
          { containerPort: 30080 },
          { containerPort: 30081, hostPort: 0 },
          { containerPort: 30082, hostPort: 0 },
          { containerPort: 30083, hostPort: -1 },
        ),
      ),
    ).toEqual([]);
    expect(
      issuesOf({ networking: { apiServerPort: -1 }, ...withMappings({ containerPort: 1, hostPort: -1 }) }),
    ).toEqual([]);
  });

  it('compares with the API server on its own address (127.0.0.1 unless set)', () => {
    expect(
      issuesOf({
        networking: { apiServerPort: 6443 },
        ...withMappings({ containerPort: 30080, hostPort: 6443, listenAddress: '127.0.0.2' }),
      }),
    ).toEqual([]);
    expect(
      issuesOf({
        networking: { apiServerPort: 6443, apiServerAddress: '0.0.0.0' },
        ...withMappings({ containerPort: 30080, hostPort: 6443, listenAddress: '127.0.0.2' }),
      }).map((i) => i.path),
    ).toEqual(['networking.apiServerPort']);
  });
});

describe('parseKindConfig', () => {
  it('applies kind’s defaults and upper-cases the protocol as kind does', () => {
    const config = parseKindConfig({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{ extraPortMappings: [{ containerPort: 30080, hostPort: 8080, protocol: 'tcp' }] }],
    });
    expect(config.nodes).toEqual([
      {
        role: 'control-plane',
        image: DEFAULT_KIND_NODE_IMAGE,
        extraPortMappings: [{ containerPort: 30080, hostPort: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('names an unknown field by its own path, and a foreign kind or apiVersion by theirs', () => {
    const error = (() => {
      try {
        parseKindConfig({
          kind: 'Pod',
          apiVersion: 'v1',
          nodes: [{ role: 'control-plane', extraPortMapping: [], gpus: 'all' }],
          networking: { dnsSearch: ['x'], podCIDR: '10.0.0.0/8' },
        } as never);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { path: 'kind', message: 'kind must be "Cluster"' },
      {
        path: 'apiVersion',
        message: expect.stringMatching(/^apiVersion must be "kind\.x-k8s\.io\/v1alpha4"/),
      },
      {
        path: 'nodes[0].extraPortMapping',
        message: expect.stringMatching(/^unknown field "extraPortMapping"/),
      },
      { path: 'nodes[0].gpus', message: expect.stringMatching(/^unknown field "gpus"/) },
      { path: 'networking.podCIDR', message: expect.stringMatching(/^unknown field "podCIDR"/) },
    ]);
  });

  it('refuses JSON 6902 patches that are not a list of operations', () => {
    const issues = issuesOf({
      containerdConfigPatchesJSON6902: [
        'op: add',
        '- op: frobnicate\n  path: /x',
        '- op: remove\n  path: /x',
      ],
      kubeadmConfigPatchesJSON6902: [{ kind: '', patch: '[]' }],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'kubeadmConfigPatchesJSON6902.0.kind',
      'containerdConfigPatchesJSON6902.0',
      'containerdConfigPatchesJSON6902.1',
    ]);
  });
});
