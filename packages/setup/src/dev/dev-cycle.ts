import {
  type BuiltImage,
  contentHashTag,
  type KubeClient,
  type LogSink,
  type OperationContext,
  StepError,
} from '@kubernaut-e2e/core';
import type { DeployComponent, PodWatchOptions, Toolchain } from '@kubernaut-e2e/orchestrator';
import { DEFAULT_ROLLOUT_TIMEOUT_MS, waitForRollouts } from '@kubernaut-e2e/orchestrator/internal';
import type { DevCycleReport, DevPhase } from './types.js';
import type { WatchedImage } from './watched-image.js';

/** What a cycle works on: the loop's ports, its cluster, and the references the cluster runs now. */
export interface CycleTarget {
  readonly toolchain: Toolchain;
  readonly kube: KubeClient;
  readonly clusterName: string;
  readonly namespace: string;
  readonly components: readonly DeployComponent[];
  /** Image id → the reference the cluster runs; a cycle updates the images it rebuilt. */
  readonly refs: Record<string, string>;
  readonly log?: LogSink;
  /** How the rollout waits watch the pods (the run's `podWatch`: the config's `failAfterRestarts`). */
  readonly podWatch?: PodWatchOptions;
}

export interface CycleRequest {
  readonly cycle: number;
  /** The images whose hash changed, with that hash. */
  readonly rebuild: readonly { readonly image: WatchedImage; readonly hash: string }[];
  readonly changedPaths: readonly string[];
  readonly firstEditAt: number;
  /** Time already spent before the builds: the debounce, a wait for an earlier cycle, hashing. */
  readonly phasesMs: Partial<Record<DevPhase | 'wait', number>>;
  readonly signal: AbortSignal;
}

/**
 * One cycle: build the changed images (in parallel), load them into the cluster in one call (or push them, in
 * registry mode: whatever the toolchain's loader does), re-apply every component that runs one of them with the
 * new references, and wait for its rollouts and readiness probe. Never throws: the report says how it went.
 */
export async function runDevCycle(request: CycleRequest, target: CycleTarget): Promise<DevCycleReport> {
  const { clock, imageBuilder, imageLoader, prober } = target.toolchain;
  const ids = request.rebuild.map((r) => r.image.id);
  const phasesMs = { ...request.phasesMs };
  const refs: Record<string, string> = {};
  const rolled: string[] = [];
  let phase: DevPhase = 'build';
  let phaseStart = clock.now();
  const enter = (next: DevPhase) => {
    phasesMs[phase] = clock.now() - phaseStart;
    phase = next;
    phaseStart = clock.now();
  };
  const ctx = (step: string): OperationContext => ({
    signal: request.signal,
    logSource: `dev:${step}`,
    ...(target.log ? { log: target.log } : {}),
  });
  const report = (
    outcome: DevCycleReport['outcome'],
    extra: Pick<DevCycleReport, 'error'> = {},
  ): DevCycleReport => {
    phasesMs[phase] = clock.now() - phaseStart;
    const finishedAt = clock.now();
    return {
      cycle: request.cycle,
      images: ids,
      changedPaths: request.changedPaths,
      outcome,
      refs,
      rolled,
      firstEditAt: request.firstEditAt,
      finishedAt,
      phasesMs,
      ...(outcome === 'ready' ? { editToReadyMs: finishedAt - request.firstEditAt } : {}),
      ...extra,
    };
  };
  let step = `dev:build:${ids.join(',')}`;

  try {
    const built = await Promise.all(
      request.rebuild.map(async ({ image, hash }): Promise<[string, BuiltImage]> => {
        const consumer = image.config.consumer ?? image.config.serviceName;
        // A tag from the content hash even when the declaration fixes one: a new reference is what makes the
        // loader put the new image on the nodes and Kubernetes start a rollout.
        const tag = contentHashTag(consumer, hash);
        return [
          image.id,
          await wrap(`dev:build:${image.id}`, () =>
            imageBuilder.build({ ...image.config, tag }, ctx(`build:${image.id}`)),
          ),
        ];
      }),
    );
    for (const [id, image] of built) refs[id] = image.ref;

    enter('load');
    step = 'dev:load';
    const loaded = await imageLoader.load(Object.values(refs), target.clusterName, ctx('load'));
    // In registry mode the nodes hold each image under its registry name: pods must use that one.
    for (const [id, ref] of Object.entries(refs)) refs[id] = loaded.podRefs?.[ref] ?? ref;
    Object.assign(target.refs, refs);

    enter('roll');
    const components = target.components.filter((c) => c.images.some((id) => ids.includes(id)));
    rolled.push(...components.flatMap((c) => c.rollout));
    await Promise.all(
      components.map((component) =>
        wrap(`dev:roll:${component.id}`, async () => {
          const current = Object.fromEntries(component.images.map((id) => [id, target.refs[id]!]));
          const c = ctx(`roll:${component.id}`);
          await target.kube.apply(component.manifests(current), c);
          await component.afterApply?.(target.kube, c);
          await waitForRollouts(
            target.kube,
            component.rollout,
            target.namespace,
            component.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS,
            c,
            {
              ...target.podWatch,
              ...(component.failAfterRestarts === undefined
                ? {}
                : { failAfterRestarts: component.failAfterRestarts }),
              clock,
              // Archives loaded this cycle: nothing pulls them from a registry (pushed ones the nodes do pull).
              ownImages: imageLoader.delivery === 'registry' ? [] : Object.values(refs),
            },
          );
          if (component.readiness) {
            await prober.waitUntilReady(component.readiness.probe, component.readiness.options, c);
          }
        }),
      ),
    );
    return report('ready');
  } catch (error) {
    if (request.signal.aborted) return report('cancelled');
    const failure = error instanceof StepError ? error : new StepError(step, error);
    return report('failed', {
      error: { ...codeOf(failure), message: failure.message, phase },
    });
  }
}

async function wrap<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StepError(step, error);
  }
}

/** The code of what actually went wrong (a `StepError` only says which step). */
function codeOf(error: StepError): { code?: string } {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('KE_')) return { code };
    current = current.cause;
  }
  return {};
}
