import type { KubeObject, Toolchain } from '@kubernaut-e2e/core';
import type { ComponentDeclaration, DeployComponent, ServiceDeclaration } from '../declaration.js';
import { isBuiltImage } from '../declaration.js';
import { planSetup } from '../plan/plan-setup.js';
import { PATTERNS, type Pattern } from '../plan/types.js';
import type { RunPlanOptions } from '../scheduler/options.js';
import { runPlan } from '../scheduler/run-plan.js';

/** The five typical failures `bench` predicts the reporting time of. */
export type FailureKind =
  | 'crash-at-start'
  | 'image-never-loaded'
  | 'missing-configmap-key'
  | 'migration-error'
  | 'build-error';
export const FAILURE_KINDS: readonly FailureKind[] = [
  'crash-at-start',
  'image-never-loaded',
  'missing-configmap-key',
  'migration-error',
  'build-error',
];

/**
 * One failure made to happen in a declaration's setup: a fault for the simulated toolchain (plain data, as
 * `KUBERNAUT_E2E_SIM_FAULTS` takes it) and/or a change to what is applied.
 */
export interface FailureScenario {
  readonly kind: FailureKind;
  /** What breaks, e.g. `datastorage crashes at start (FATAL: password authentication failed …)`. */
  readonly what: string;
  /** Fault rules for the simulated toolchain (`@kubernaut-e2e/sim`'s `FaultPlan`). */
  readonly faults: readonly Readonly<Record<string, unknown>>[];
  readonly declaration: ServiceDeclaration;
}

/** When the build error strikes: a Go compile error comes after the base image and module download steps. */
const BUILD_ERROR_AFTER_MS = 30_000;

const isDeploy = (c: ComponentDeclaration): c is DeployComponent => c.kind === 'deploy';

/** The component the failures hit: DataStorage when the service deploys it (every kubernaut service does), else the service. */
function targetOf(declaration: ServiceDeclaration): DeployComponent | undefined {
  const deploys = declaration.components.filter(isDeploy);
  return (
    deploys.find((c) => c.id === 'datastorage') ??
    deploys.find((c) => c.id === declaration.service) ??
    deploys.find((c) => c.images.some((id) => declaration.images.some((i) => i.id === id && isBuiltImage(i))))
  );
}

/** The name (last path segment, no tag) of the image `target` runs first, as the nodes know it. */
function nodeImageName(declaration: ServiceDeclaration, target: DeployComponent): string {
  const image = declaration.images.find((i) => i.id === target.images[0]);
  const ref = image === undefined ? target.id : isBuiltImage(image) ? image.build.imageName : image.ref;
  return ref
    .split('@')[0]!
    .replace(/:[^/:]*$/, '')
    .split('/')
    .at(-1)!;
}

/** The declaration with `target`'s Deployments changed by `change` (each container, as applied). */
function withContainers(
  declaration: ServiceDeclaration,
  target: DeployComponent,
  change: (container: Record<string, unknown>, objects: readonly KubeObject[]) => Record<string, unknown>,
): ServiceDeclaration {
  const manifests: DeployComponent['manifests'] = (refs) => {
    const objects = target.manifests(refs);
    return objects.map((o) => {
      if (o.kind !== 'Deployment') return o;
      const spec = o.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
      const containers = spec.template.spec.containers.map((c) => change(c, objects));
      return {
        ...o,
        spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers } } },
      };
    });
  };
  return {
    ...declaration,
    components: declaration.components.map((c) => (c === target ? { ...target, manifests } : c)),
  };
}

/**
 * The five failures for `declaration`, each hitting DataStorage (or the service): it crashes at start; its Deployment
 * names a tag that was never loaded; its environment reads a key its ConfigMap lacks; a migration fails; its image
 * fails to build. A failure the declaration has nothing for (no migrations) is left out.
 */
export function failureScenarios(declaration: ServiceDeclaration): FailureScenario[] {
  const target = targetOf(declaration);
  if (!target) return [];
  const scenarios: FailureScenario[] = [
    {
      kind: 'crash-at-start',
      what: `${target.id} crashes at start (FATAL: password authentication failed for user slm_user)`,
      faults: [
        {
          op: 'container',
          target: target.id,
          fail: true,
          message: 'FATAL: password authentication failed for user slm_user',
        },
      ],
      declaration,
    },
    {
      kind: 'image-never-loaded',
      what: `${target.id}'s image is not on the nodes after its load (loaded into another cluster)`,
      faults: [{ op: 'node-image', target: nodeImageName(declaration, target), fail: true }],
      declaration,
    },
    {
      kind: 'missing-configmap-key',
      what: `${target.id}'s environment reads a key its ConfigMap lacks`,
      faults: [],
      declaration: withContainers(declaration, target, (c, objects) => {
        const configMap = objects.find((o) => o.kind === 'ConfigMap')?.metadata.name ?? `${target.id}-config`;
        const env = Array.isArray(c.env) ? c.env : [];
        return {
          ...c,
          env: [
            ...env,
            {
              name: 'MISSING_SETTING',
              valueFrom: { configMapKeyRef: { name: configMap, key: 'missing.yaml' } },
            },
          ],
        };
      }),
    },
  ];
  if (declaration.components.some((c) => c.kind === 'migrate')) {
    scenarios.push({
      kind: 'migration-error',
      what: 'a migration fails (ERROR: relation "audit_events" already exists)',
      faults: [
        {
          op: 'migrate',
          fail: true,
          message: 'ERROR: relation "audit_events" already exists (SQLSTATE 42P07)',
        },
      ],
      declaration,
    });
  }
  const image = declaration.images.find((i) => target.images.includes(i.id) && isBuiltImage(i));
  if (image && isBuiltImage(image)) {
    scenarios.push({
      kind: 'build-error',
      what: `${image.build.serviceName}'s image fails to build (a compile error ${BUILD_ERROR_AFTER_MS / 1000} s into its build)`,
      faults: [{ op: 'build', target: image.build.serviceName, fail: true, afterMs: BUILD_ERROR_AFTER_MS }],
      declaration,
    });
  }
  return scenarios;
}

/** When one failing run reported its failure, with the rollout waits watching the pods (after) and without (before). */
export interface FailureRow {
  readonly kind: FailureKind;
  readonly what: string;
  readonly pattern: Pattern;
  /** The step that failed. */
  readonly failedStep: string;
  /** From the run's start to the failure being reported, waiting for the deadline (before fail-fast). */
  readonly deadlineMs: number;
  /** The same with the pods watched (fail-fast). */
  readonly failFastMs: number;
}

async function failureTime(
  scenario: FailureScenario,
  pattern: Pattern,
  toolchain: Toolchain,
  options: RunPlanOptions,
): Promise<{ step: string; ms: number }> {
  const result = await runPlan(planSetup(scenario.declaration, { pattern }), toolchain, options);
  const failed = result.trace.steps.find((s) => s.outcome === 'failed');
  if (result.ok || !failed || failed.end === undefined) {
    throw new Error(
      `failure scenario ${scenario.kind} (${pattern}) did not fail: the simulator ran ${scenario.what} without error`,
    );
  }
  return { step: failed.id, ms: failed.end };
}

/**
 * Runs each failure under every pattern twice — the rollout waits waiting for their deadline, then watching the pods —
 * each on a fresh toolchain from `makeToolchain(scenario)`, and reports when the failure was reported.
 */
export async function benchmarkFailures(
  scenarios: readonly FailureScenario[],
  makeToolchain: (scenario: FailureScenario) => Toolchain,
  options: { readonly patterns?: readonly Pattern[]; readonly runOptions?: RunPlanOptions } = {},
): Promise<FailureRow[]> {
  const rows: FailureRow[] = [];
  for (const scenario of scenarios) {
    for (const pattern of options.patterns ?? PATTERNS) {
      const run = (enabled: boolean) =>
        failureTime(scenario, pattern, makeToolchain(scenario), {
          ...options.runOptions,
          podWatch: { ...options.runOptions?.podWatch, enabled },
        });
      const before = await run(false);
      const after = await run(true);
      rows.push({
        kind: scenario.kind,
        what: scenario.what,
        pattern,
        failedStep: after.step,
        deadlineMs: before.ms,
        failFastMs: after.ms,
      });
    }
  }
  return rows;
}
