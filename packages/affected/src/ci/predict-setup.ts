import { EventStream } from '@kubernaut-e2e/core';
import { resolveSetup, type Service, type SetupOptions, setupInfrastructure } from '@kubernaut-e2e/setup';

/**
 * Each service's predicted setup time (ms): the makespan of its real declaration run on the simulated toolchain, as
 * `kubernaut-e2e plan` predicts it — the same pattern, options and project root. Predicted, not measured: the
 * simulator's timing profile is calibrated to the seed's numbers. A service configured for an existing cluster is
 * predicted on a cluster of its own (as `plan` does), without a kind config.
 */
export async function predictSetupTimes(
  services: readonly Service[],
  optionsFor: (service: Service) => SetupOptions,
): Promise<Map<string, number>> {
  const predicted = new Map<string, number>();
  for (const service of services) {
    const { cluster, ...rest } = optionsFor(service);
    const options: SetupOptions = {
      ...rest,
      ...(cluster ? { kindConfig: false as const } : {}),
      runtime: 'sim',
    };
    const resolved = await resolveSetup(service, options);
    const infra = await setupInfrastructure(service, { ...options, events: new EventStream() }, resolved);
    await infra.teardown();
    predicted.set(service.name, infra.trace.makespanMs);
  }
  return predicted;
}
