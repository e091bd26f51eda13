import { NotReadyError } from '@kubernaut-e2e/core';
import { ScriptedRunner } from '@kubernaut-e2e/core/testing';
import { createKubectlClient } from '@kubernaut-e2e/deployers';
import { describe, expect, it } from 'vitest';
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

describe('waitForRollouts (the real kubectl client over a scripted process boundary)', () => {
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

  it('fails with the first failure at once, without waiting for the rollouts still going', async () => {
    const runner = new ScriptedRunner([
      { argv: rollout('postgresql'), hang: true },
      { argv: rollout('redis'), stderr: 'error: timed out waiting for the condition\n', exitCode: 1 },
    ]);
    const kube = createKubectlClient({ runner, kubeconfigPath: '/kc' });
    const stop = new AbortController();
    try {
      const error = await waitForRollouts(
        kube,
        ['deployment/postgresql', 'deployment/redis'],
        'e2e',
        60_000,
        {
          signal: stop.signal,
        },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotReadyError);
      expect((error as NotReadyError).target).toBe('rollout of deployment/redis in namespace e2e');
    } finally {
      stop.abort(); // what the scheduler's fail-fast does to the rollout still waiting
    }
  });
});
