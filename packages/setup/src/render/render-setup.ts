import {
  findExecutable,
  type ImageBuildConfig,
  type KubeObject,
  PlanError,
  parseRegistryAddress,
  registryImageRef,
  ToolNotFoundError,
} from '@kubernaut-e2e/core';
import { isBuiltImage, isObjectStep, objectsOfStep } from '@kubernaut-e2e/orchestrator';
import { stringify } from 'yaml';
import { engineBuildOptions } from '../build-settings.js';
import { assertRuntimeReachesExistingCluster } from '../existing-cluster.js';
import type { ResolvedSetup } from '../setup-infrastructure.js';
import { sharedClusterObject } from '../shared-cluster-run.js';
import { applyOrder } from './apply-order.js';
import { redactSecret } from './redact.js';

export interface RenderOptions {
  /** Print Secret `data` and `stringData` values; without it each value is `<redacted>`. */
  readonly showSecrets?: boolean;
  /**
   * Where the build modes (`IMAGE_REGISTRY`/`IMAGE_TAG`, `KUBERNAUT_CI_ARTIFACT_TAG`) and `PATH` (which engine
   * `runtime: 'auto'` picks) are read, as `setupInfrastructure` reads them; `process.env` when omitted.
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** One object `up` applies, and the step that applies it. */
export interface RenderedObject {
  /** The plan's step id, e.g. `crds`, `namespace`, `manifests:config`, `deploy:gateway`, `seed:action-types`. */
  readonly step: string;
  readonly object: KubeObject;
}

export interface RenderedSetup {
  readonly service: string;
  /** The runtime the references were computed for (`auto` resolved to the engine it would pick). */
  readonly runtime: 'podman' | 'docker' | 'sim';
  /** Image id → the reference pods run, as the run would name it. */
  readonly images: Readonly<Record<string, string>>;
  /** Every object `up` applies, in apply order (Secret values redacted unless `showSecrets`). */
  readonly objects: readonly RenderedObject[];
  /** The same as one multi-document YAML stream: a header comment, then each document led by `# <step id>`. */
  readonly yaml: string;
}

/**
 * The manifests `setupInfrastructure` would apply for `setup`, in apply order, without running anything: no command,
 * no file written, no cluster, no build (reading the declaration is `resolveSetup`'s, which runs `kubectl kustomize`
 * for a kustomize `manifests` entry, as for `up`). Images are named as the chosen runtime would name them (the real
 * builders' content hash reads the Dockerfile and the files it copies; the simulated builder hashes its
 * configuration), renamed for the registry in registry mode; on an existing cluster, objects are adapted as the
 * shared-cluster run adapts them (Services without node ports, webhook configurations of the run's own). The order is
 * a topological order of the plan's steps, ties broken by the plan's declaration order, so the same inputs render the
 * same stream (apart from certificates and keys, which every run makes anew).
 */
export async function renderSetup(setup: ResolvedSetup, options: RenderOptions = {}): Promise<RenderedSetup> {
  const env = options.env ?? process.env;
  const { options: o, plan, declaration } = setup;
  assertRuntimeReachesExistingCluster(setup.existingCluster, o.runtime, setup.service);
  const runtime = renderRuntime(o.runtime, env);
  // Bad build settings for the engine are refused as `up` refuses them.
  if (runtime !== 'sim') engineBuildOptions(runtime, o.runtime, o.build, env);

  const images = await podImageRefs(setup, runtime, env);
  const imageRef = (id: string) => {
    const ref = images[id];
    if (ref === undefined) throw new PlanError(`image "${id}" is not loaded by this plan`);
    return ref;
  };
  const objects: RenderedObject[] = [];
  // kind's cluster in registry mode: the cluster step applies where tools push (the simulator applies nothing).
  if (setup.registry && !setup.existingCluster && runtime !== 'sim') {
    const { localRegistryHostingConfigMap } = await import('@kubernaut-e2e/cluster');
    objects.push({
      step: 'cluster',
      object: localRegistryHostingConfigMap(parseRegistryAddress(setup.registry.address)),
    });
  }
  const afterApply: string[] = [];
  for (const step of applyOrder(plan.steps)) {
    if (!isObjectStep(step)) continue;
    if (step.kind === 'deploy' && step.payload.component.afterApply) afterApply.push(step.id);
    for (const object of objectsOfStep(step, imageRef)) {
      const applied = setup.existingCluster ? sharedClusterObject(object, setup.namespace) : object;
      objects.push({ step: step.id, object: options.showSecrets ? applied : redactSecret(applied) });
    }
  }

  const header = [
    `# ${setup.service}: the objects \`up\` applies, in apply order (runtime ${runtime}, pattern ${setup.pattern}, namespace ${setup.namespace})`,
    `# images: ${
      Object.entries(images)
        .map(([id, ref]) => `${id}=${ref}`)
        .join(', ') || 'none'
    }`,
    ...(setup.registry && declaration.images.some((i) => !isBuiltImage(i))
      ? [
          '# external images keep their reference; when the local engine holds one, `up` pushes it and pods use its registry name',
        ]
      : []),
    ...(setup.existingCluster
      ? [`# namespace ${setup.namespace} is this run's own: another run gets another`]
      : []),
    ...(afterApply.length > 0
      ? [`# ${afterApply.join(', ')} then run their afterApply hook (not rendered)`]
      : []),
    ...(options.showSecrets ? [] : ['# Secret values are redacted']),
  ];
  // As kubectl gets them (lines never folded), but with no YAML aliases: one object shared by two fields (a
  // Deployment's labels and its pod template's) is written out twice, so each document reads on its own.
  const document = ({ step, object }: RenderedObject) =>
    `---\n# ${step}\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  const yaml = `${header.join('\n')}\n${objects.map(document).join('')}`;
  return { service: setup.service, runtime, images, objects, yaml };
}

/**
 * The engine that names the images. `auto` is the one `up` would pick (podman, else docker), found on `PATH`
 * without running it; when neither is there `up` could not run either.
 */
function renderRuntime(runtime: string, env: NodeJS.ProcessEnv): 'podman' | 'docker' | 'sim' {
  if (runtime === 'sim' || runtime === 'podman' || runtime === 'docker') return runtime;
  const path = env.PATH ?? '';
  if (findExecutable('podman', path)) return 'podman';
  if (findExecutable('docker', path)) return 'docker';
  throw new ToolNotFoundError(
    'podman or docker',
    'Pass `--runtime podman`, `docker` or `sim` (option `runtime`) to render the images as that runtime names them.',
    {
      detail:
        '--runtime auto names images as the engine it finds does, and found neither podman nor docker on PATH',
    },
  );
}

/** Image id → the reference pods use: each loaded image as the runtime builds it (renamed in registry mode). */
async function podImageRefs(
  setup: ResolvedSetup,
  runtime: 'podman' | 'docker' | 'sim',
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const loaded = setup.declaration.images.filter((i) => !isBuiltImage(i) || !i.buildOnly);
  const builtRef = await builtImageRef(setup, runtime, env);
  const registry = setup.registry ? parseRegistryAddress(setup.registry.address) : undefined;
  const entries = await Promise.all(
    loaded.map(async (image): Promise<[string, string]> => {
      if (!isBuiltImage(image)) return [image.id, image.ref];
      const ref = await builtRef(image.build);
      return [image.id, registry ? registryImageRef(ref, registry) : ref];
    }),
  );
  return Object.fromEntries(entries);
}

/** How the runtime's builder names a built image (the modules of the other runtimes are not loaded). */
async function builtImageRef(
  setup: ResolvedSetup,
  runtime: 'podman' | 'docker' | 'sim',
  env: NodeJS.ProcessEnv,
): Promise<(config: ImageBuildConfig) => Promise<string>> {
  if (runtime === 'sim') {
    const { simImageRef } = await import('@kubernaut-e2e/sim');
    return async (config) => simImageRef(config);
  }
  const { imageRefForKind } = await import('@kubernaut-e2e/image-builder');
  return (config) => imageRefForKind(config, { engine: runtime, projectRoot: setup.projectRoot, env });
}
