import { NotReadyError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { describe, expect, it } from 'vitest';
import { createKubectlClient } from '../kubectl/kubectl-client.js';
import { waitForRollouts } from './wait-for-rollouts.js';

const rollout = (name: string) => [
  'kubectl',
  '--kubeconfig',
  '/kc',
  'rollout',
  'status',
  `deployment/${name}`,
  '-n',
  'e2e',
  '--timeout=60s',
];

describe('waitForRollouts', () => {
  it('waits for the rollout of every resource', async () => {
    const runner = new ScriptedRunner([
      { argv: rollout('postgresql') },
      { argv: rollout('redis') },
      { argv: rollout('datastorage') },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    await waitForRollouts(
      kube,
      ['deployment/postgresql', 'deployment/redis', 'deployment/datastorage'],
      'e2e',
      60_000,
    );
    runner.assertAllUsed();
  });

  it('rethrows the one failure as is', async () => {
    const runner = new ScriptedRunner([
      { argv: rollout('postgresql') },
      { argv: rollout('redis'), stderr: 'error: timed out waiting for the condition\n', exitCode: 1 },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const error = await waitForRollouts(
      kube,
      ['deployment/postgresql', 'deployment/redis'],
      'e2e',
      60_000,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as NotReadyError).target).toBe('rollout of deployment/redis in namespace e2e');
  });

  it('lists every rollout that failed when several do', async () => {
    const runner = new ScriptedRunner([
      {
        argv: rollout('postgresql'),
        stdout:
          'Waiting for deployment "postgresql" rollout to finish: 0 of 1 updated replicas are available...\n',
        stderr: 'error: timed out waiting for the condition\n',
        exitCode: 1,
      },
      {
        argv: rollout('redis'),
        stderr:
          'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n',
        exitCode: 1,
      },
      { argv: rollout('datastorage') },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const error = (await waitForRollouts(
      kube,
      ['deployment/postgresql', 'deployment/redis', 'deployment/datastorage'],
      'e2e',
      60_000,
    ).catch((e: unknown) => e)) as NotReadyError;
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error.target).toContain(
      '2 of 3 rollouts in namespace e2e (deployment/postgresql, deployment/redis)',
    );
    expect(error.lastObservation).toContain('deployment/postgresql: Waiting for deployment "postgresql"');
    expect(error.lastObservation).toContain('deployment/redis: ');
    expect(error.lastObservation).toContain('was refused');
    expect(error.cause).toBeInstanceOf(NotReadyError);
  });
});
