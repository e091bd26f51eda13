import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@kubernaut-e2e/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderKindConfig } from './kind-config.js';
import { loadKindConfigFile } from './kind-config-file.js';
import { scratchDir } from './testing-internal/fixtures.js';

const EVERY_FIELD = fileURLToPath(new URL('./__fixtures__/kind-config.every-field.yaml', import.meta.url));
const NODE_IMAGE =
  'kindest/node:v1.35.1@sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await scratchDir());
});
afterEach(() => cleanup());

async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function refusal(file: string, options = {}): Promise<ConfigError> {
  const error = await loadKindConfigFile(file, options).catch((e) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadKindConfigFile', () => {
  it('reads every field of kind’s v1alpha4 Cluster and renders them back unchanged', async () => {
    const loaded = await loadKindConfigFile(EVERY_FIELD, { cwd: '/srv/kubernaut' });

    expect(loaded.file).toBe(EVERY_FIELD);
    expect(loaded.resolvedHostPaths).toEqual([
      {
        path: 'nodes[0].extraMounts[0].hostPath',
        written: './coverdata',
        resolved: '/srv/kubernaut/coverdata',
      },
    ]);
    const rendered = parseYaml(renderKindConfig(loaded.config));
    expect(rendered).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'every-field',
      featureGates: { InPlacePodVerticalScaling: true, CSIMigration: false },
      runtimeConfig: { 'api/alpha': 'false' },
      networking: {
        ipFamily: 'dual',
        apiServerAddress: '127.0.0.1',
        apiServerPort: 6443,
        podSubnet: '10.244.0.0/16,fd00:10:244::/56',
        serviceSubnet: '10.96.0.0/16,fd00:10:96::/112',
        disableDefaultCNI: true,
        kubeProxyMode: 'nftables',
        dnsSearch: ['cluster.local', 'e2e.example'],
      },
      kubeadmConfigPatches: [
        'kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    max-requests-inflight: "800"\n',
      ],
      kubeadmConfigPatchesJSON6902: [
        {
          group: 'kubeadm.k8s.io',
          version: 'v1beta3',
          kind: 'ClusterConfiguration',
          patch: '- op: add\n  path: /apiServer/certSANs/-\n  value: e2e.example\n',
        },
      ],
      containerdConfigPatches: [
        '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."localhost:5000"]\n  endpoint = ["http://kind-registry:5000"]',
      ],
      containerdConfigPatchesJSON6902: [
        '- op: add\n  path: /plugins/io.containerd.grpc.v1.cri/containerd/snapshotter\n  value: native\n',
      ],
      nodes: [
        {
          role: 'control-plane',
          image: NODE_IMAGE,
          labels: { 'ingress-ready': 'true' },
          extraMounts: [
            { hostPath: '/srv/kubernaut/coverdata', containerPath: '/coverdata' },
            {
              hostPath: '/var/run/e2e-ca',
              containerPath: '/etc/e2e-ca',
              readOnly: true,
              selinuxRelabel: true,
              propagation: 'HostToContainer',
            },
          ],
          extraPortMappings: [
            { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
            // kind upper-cases the protocol; the rendered config says what kind will use.
            { containerPort: 30053, hostPort: 8053, protocol: 'UDP' },
            { containerPort: 30090 },
          ],
          kubeadmConfigPatches: [
            'kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "ingress-ready=true"\n',
          ],
          kubeadmConfigPatchesJSON6902: [
            {
              kind: 'InitConfiguration',
              patch: '[{"op": "add", "path": "/nodeRegistration/taints", "value": []}]',
            },
          ],
        },
        { role: 'worker', image: NODE_IMAGE, labels: { tier: 'backend' } },
      ],
    });
  });

  it('returns what the file says: no default is added to the config it returns', async () => {
    const file = await configFile('bare.yaml', 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    const loaded = await loadKindConfigFile(file);
    expect(loaded.config).toEqual({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect(loaded.resolvedHostPaths).toEqual([]);
  });

  it('resolves a relative hostPath against the kind process’s working directory, not the file’s directory', async () => {
    const file = await configFile(
      'test/infrastructure/kind-gateway-config.yaml',
      `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraMounts:
  - hostPath: ./coverdata
    containerPath: /coverdata
  - hostPath: ../shared/ca
    containerPath: /ca
  - hostPath: /already/absolute
    containerPath: /abs
`,
    );

    const fromRoot = await loadKindConfigFile(file, { cwd: dir });
    expect(fromRoot.config.nodes?.[0]?.extraMounts?.map((m) => m.hostPath)).toEqual([
      join(dir, 'coverdata'),
      join(dir, '..', 'shared', 'ca'),
      '/already/absolute',
    ]);
    expect(fromRoot.resolvedHostPaths.map((r) => r.path)).toEqual([
      'nodes[0].extraMounts[0].hostPath',
      'nodes[0].extraMounts[1].hostPath',
    ]);

    // With no cwd given, it is this process's, as for a kind started without one.
    const fromHere = await loadKindConfigFile(file);
    expect(fromHere.config.nodes?.[0]?.extraMounts?.[0]?.hostPath).toBe(join(process.cwd(), 'coverdata'));
  });

  it('refuses an unknown field by its own path and line, as kind’s strict decoder does', async () => {
    const file = await configFile(
      'typo.yaml',
      `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraPortMapping:
  - containerPort: 30080
    hostPort: 8080
networking:
  podSubnets: 10.244.0.0/16
`,
    );
    const error = await refusal(file);
    expect(error.message).toContain(`Invalid kind config ${file}`);
    expect(error.issues).toEqual([
      {
        path: 'nodes[0].extraPortMapping',
        message: expect.stringMatching(/unknown field "extraPortMapping".*line 6/),
      },
      { path: 'networking.podSubnets', message: expect.stringMatching(/unknown field "podSubnets".*line 9/) },
    ]);
  });

  it('refuses another kind or apiVersion, or none, naming the field', async () => {
    const wrong = await configFile('wrong.yaml', 'kind: Pod\napiVersion: kind.x-k8s.io/v1alpha3\n');
    expect((await refusal(wrong)).issues.map((i) => [i.path, i.message])).toEqual([
      ['kind', expect.stringMatching(/kind must be "Cluster" \(line 1, column 7\)/)],
      ['apiVersion', expect.stringMatching(/apiVersion must be "kind\.x-k8s\.io\/v1alpha4"/)],
    ]);
    const missing = await configFile('missing.yaml', 'nodes:\n- role: control-plane\n');
    expect((await refusal(missing)).issues.map((i) => i.path)).toEqual(['apiVersion', 'kind']);
  });

  it('reports every bad value at once, each with its field path', async () => {
    const file = await configFile(
      'bad-values.yaml',
      `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  kubeProxyMode: userspace
  podSubnet: 10.244.0.0
nodes:
- role: master
  extraPortMappings:
  - containerPort: 30080
    hostPort: "8080"
    protocol: QUIC
  extraMounts:
  - hostPath: /tmp
    containerPath: /x
    propagation: hostToContainer
kubeadmConfigPatchesJSON6902:
- kind: ClusterConfiguration
  patch: "op: add"
`,
    );
    expect((await refusal(file)).issues.map((i) => i.path)).toEqual([
      'nodes[0].role',
      'nodes[0].extraMounts[0].propagation',
      'nodes[0].extraPortMappings[0].hostPort',
      'nodes[0].extraPortMappings[0].protocol',
      'networking.podSubnet',
      'networking.kubeProxyMode',
      'kubeadmConfigPatchesJSON6902[0].patch',
    ]);
  });

  it('refuses a missing file, invalid YAML, an empty file and a second document', async () => {
    const gone = join(dir, 'gone.yaml');
    expect((await refusal(gone)).issues).toEqual([{ path: '', message: `${gone} does not exist` }]);

    const broken = await configFile('broken.yaml', 'kind: Cluster\nnodes: [\n');
    expect((await refusal(broken)).issues[0]?.message).toMatch(/^not valid YAML: .*line \d+, column \d+/);

    const duplicate = await configFile('dup.yaml', 'kind: Cluster\nkind: Cluster\n');
    expect((await refusal(duplicate)).issues[0]?.message).toMatch(/not valid YAML: Map keys must be unique/);

    const empty = await configFile('empty.yaml', '# nothing here\n');
    expect((await refusal(empty)).issues[0]?.message).toMatch(/the file is empty/);

    const two = await configFile(
      'two.yaml',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n',
    );
    expect((await refusal(two)).issues[0]?.message).toMatch(
      /holds 2 YAML documents; kind reads only the first/,
    );

    // Separators around a single document are fine.
    const fenced = await configFile(
      'fenced.yaml',
      '---\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\n',
    );
    await expect(loadKindConfigFile(fenced)).resolves.toMatchObject({ config: { kind: 'Cluster' } });
  });
});
