import type { LogLine } from '@kubernaut-e2e/core';
import { CancelledError } from '@kubernaut-e2e/core';
import { describe, expect, it } from 'vitest';
import { CLUSTER, KUBECONFIG } from '../testing-internal/gateway-fixture.js';
import { createSimToolchain } from '../toolchain.js';

describe('SimWorld bookkeeping', () => {
  it('logs the equivalent command of each operation at virtual time, under the step source', async () => {
    const sim = createSimToolchain();
    const lines: LogLine[] = [];
    await sim.clock.sleep(2_000);
    await sim.cluster.create(
      { name: CLUSTER, kubeconfigPath: KUBECONFIG },
      { log: (l) => lines.push(l), logSource: 'create-cluster' },
    );
    expect(lines).toEqual([
      {
        source: 'create-cluster',
        stream: 'info',
        at: 2_000,
        text: `[sim] kind create cluster --name ${CLUSTER} --kubeconfig ${KUBECONFIG} --config -`,
      },
    ]);
    expect(sim.world.events).toEqual([
      { at: 2_000, op: 'cluster-create', subject: CLUSTER, phase: 'start' },
      { at: 14_000, op: 'cluster-create', subject: CLUSTER, phase: 'end' },
    ]);
  });

  it('an operation started with an aborted signal does nothing and rejects with its reason', async () => {
    const sim = createSimToolchain();
    const controller = new AbortController();
    controller.abort(new CancelledError('run cancelled'));
    await expect(
      sim.cluster.create({ name: CLUSTER, kubeconfigPath: KUBECONFIG }, { signal: controller.signal }),
    ).rejects.toThrow('run cancelled');
    expect(await sim.cluster.exists(CLUSTER)).toBe(false);
    expect(sim.world.events).toEqual([]);
  });

  it('aborting mid-operation leaves nothing half-made', async () => {
    const sim = createSimToolchain();
    const controller = new AbortController();
    const creating = sim.cluster.create(
      { name: CLUSTER, kubeconfigPath: KUBECONFIG },
      { signal: controller.signal },
    );
    await sim.clock.sleep(5_000);
    controller.abort(new CancelledError('sibling step failed'));
    await expect(creating).rejects.toBeInstanceOf(CancelledError);
    expect(await sim.cluster.exists(CLUSTER)).toBe(false);
    expect(sim.world.events.at(-1)).toMatchObject({
      at: 5_000,
      op: 'cluster-create',
      phase: 'error',
      detail: 'sibling step failed',
    });
  });
});
