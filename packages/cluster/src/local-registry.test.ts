import { CommandError, parseRegistryAddress } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import {
  connectLocalRegistry,
  ensureLocalRegistry,
  LOCAL_REGISTRY_CONTAINER,
  localRegistryRunArgs,
} from './local-registry.js';

// The argv contract of kind's local-registry pattern (https://kind.sigs.k8s.io/docs/user/local-registry/).
const inspect = (engine: string) => [
  engine,
  'container',
  'inspect',
  '-f',
  '{{.State.Running}}',
  LOCAL_REGISTRY_CONTAINER,
];

describe('ensureLocalRegistry', () => {
  it.each(['podman', 'docker'] as const)(
    'starts kind-registry on 127.0.0.1:<port> when %s has no such container',
    async (engine) => {
      const runner = new ScriptedRunner([
        {
          argv: inspect(engine),
          exitCode: 125,
          stderr: 'Error: no such container kind-registry',
        },
        {
          argv: [
            engine,
            'run',
            '-d',
            '--restart=always',
            '-p',
            '127.0.0.1:5123:5000',
            '--network',
            'bridge',
            '--name',
            'kind-registry',
            'registry:2',
          ],
        },
      ]);
      const address = await ensureLocalRegistry({ runner, engine, port: 5123 });
      expect(address.text).toBe('localhost:5123');
      runner.assertAllUsed();
    },
  );

  it('uses port 5001, as kind documents, when none is given', async () => {
    expect(localRegistryRunArgs(5001)).toContain('127.0.0.1:5001:5000');
    const runner = new ScriptedRunner([{ argv: inspect('podman'), stdout: 'true\n' }]);
    expect((await ensureLocalRegistry({ runner, engine: 'podman' })).text).toBe('localhost:5001');
  });

  it('leaves a running registry alone: it is the layer cache of every later run', async () => {
    const runner = new ScriptedRunner([{ argv: inspect('docker'), stdout: 'true\n' }]);
    await ensureLocalRegistry({ runner, engine: 'docker', port: 5001 });
    expect(runner.argvs).toEqual([inspect('docker')]);
  });

  it('starts a stopped registry again instead of replacing it (its pushed layers survive)', async () => {
    const runner = new ScriptedRunner([
      { argv: inspect('podman'), stdout: 'false\n' },
      { argv: ['podman', 'start', 'kind-registry'] },
    ]);
    await ensureLocalRegistry({ runner, engine: 'podman', port: 5001 });
    runner.assertAllUsed();
    expect(runner.argvs.some((argv) => argv.includes('run'))).toBe(false);
  });

  it('fails with the engine error when the registry cannot be started', async () => {
    const runner = new ScriptedRunner([
      { argv: inspect('podman'), exitCode: 125 },
      {
        match: (argv) => argv[1] === 'run',
        exitCode: 126,
        stderr: 'Error: rootlessport listen tcp 127.0.0.1:5001: bind: address already in use',
      },
    ]);
    const error = await ensureLocalRegistry({ runner, engine: 'podman' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain('address already in use');
  });
});

describe('connectLocalRegistry', () => {
  const address = parseRegistryAddress('localhost:5001');
  const nodes = ['e2e-control-plane', 'e2e-worker'];
  const toml = '[host."http://kind-registry:5000"]\n  capabilities = ["pull", "resolve"]\n';

  const perNode = (engine: string, node: string, input: string) => [
    { argv: [engine, 'exec', node, 'mkdir', '-p', '/etc/containerd/certs.d/localhost:5001'] },
    {
      argv: [
        engine,
        'exec',
        '-i',
        node,
        'cp',
        '/dev/stdin',
        '/etc/containerd/certs.d/localhost:5001/hosts.toml',
      ],
      input,
    },
  ];

  it('joins kind-registry to the kind network and writes hosts.toml into every node', async () => {
    const runner = new ScriptedRunner([
      { argv: ['podman', 'network', 'connect', 'kind', 'kind-registry'] },
      ...nodes.flatMap((node) => perNode('podman', node, toml)),
    ]);
    await connectLocalRegistry({ runner, engine: 'podman', nodes, address });
    runner.assertAllUsed();
    // The network comes first: a node that reads hosts.toml before it can resolve kind-registry pulls nothing.
    expect(runner.argvs[0]).toEqual(['podman', 'network', 'connect', 'kind', 'kind-registry']);
  });

  it('treats "already connected" as done (a second cluster on the same machine)', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['docker', 'network', 'connect', 'kind', 'kind-registry'],
        exitCode: 1,
        stderr: 'Error response from daemon: endpoint with name kind-registry already exists in network kind',
      },
      ...perNode('docker', 'e2e-control-plane', toml),
    ]);
    await connectLocalRegistry({ runner, engine: 'docker', nodes: ['e2e-control-plane'], address });
    runner.assertAllUsed();
  });

  it('fails on any other network error, before touching a node', async () => {
    const runner = new ScriptedRunner([
      {
        argv: ['docker', 'network', 'connect', 'kind', 'kind-registry'],
        exitCode: 1,
        stderr: 'Error response from daemon: No such container: kind-registry',
      },
    ]);
    const error = await connectLocalRegistry({ runner, engine: 'docker', nodes, address }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain('No such container');
    expect(runner.argvs).toHaveLength(1);
  });

  it('skips the network for a registry that is not kind container, and uses the given endpoint', async () => {
    const endpoint = 'http://10.0.0.7:5000';
    const runner = new ScriptedRunner(
      perNode('podman', 'e2e-control-plane', `[host."${endpoint}"]\n  capabilities = ["pull", "resolve"]\n`),
    );
    await connectLocalRegistry({
      runner,
      engine: 'podman',
      nodes: ['e2e-control-plane'],
      address,
      endpoint,
      connectNetwork: false,
    });
    runner.assertAllUsed();
  });
});
