import { type KubeObject, PlanError } from '@kubernaut-e2e/core';
import { type ComponentDeclaration, isBuiltImage, type ServiceDeclaration } from '../declaration.js';
import { containerImages } from './container-images.js';
import { findCycle } from './graph.js';

/** The reference the manifests are rendered with while checking them; never deployed. */
export function placeholderRef(imageName: string): string {
  return `localhost/${imageName}:plan-check`;
}

const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '(none)');

/**
 * Graph-level checks on a declaration whose shape is already valid: ids unique, every `dependsOn`
 * names a component, no dependency cycle, every image a component runs is either declared or listed as
 * a pinned external reference — including the images its manifests actually put in pod specs.
 */
export function checkDeclarationGraph(declaration: ServiceDeclaration): void {
  const imageIds = declaration.images.map((i) => i.id);
  const componentIds = declaration.components.map((c) => c.id);
  const duplicate = (ids: readonly string[]) => ids.find((id, index) => ids.indexOf(id) !== index);
  const dupImage = duplicate(imageIds);
  if (dupImage) throw new PlanError(`image id "${dupImage}" is declared twice; image ids must be unique`);
  const dupComponent = duplicate(componentIds);
  if (dupComponent)
    throw new PlanError(`component id "${dupComponent}" is declared twice; component ids must be unique`);

  for (const component of declaration.components) {
    for (const dep of component.dependsOn) {
      if (dep === component.id) throw new PlanError(`component "${component.id}" lists itself in dependsOn`);
      if (!componentIds.includes(dep)) {
        throw new PlanError(
          `component "${component.id}" dependsOn "${dep}", which is not a declared component (declared: ${list(componentIds)})`,
        );
      }
    }
  }
  const cycle = findCycle(declaration.components.map((c) => ({ id: c.id, deps: c.dependsOn })));
  if (cycle) {
    throw new PlanError(
      `components depend on each other in a cycle: ${cycle.join(' → ')} (→ reads "waits for"); remove one of these dependsOn entries`,
    );
  }

  const images = new Map(declaration.images.map((i) => [i.id, i]));
  for (const component of declaration.components) {
    if (component.kind === 'migrate') continue;
    const ids = component.kind === 'deploy' ? component.images : (component.images ?? []);
    const refs: Record<string, string> = {};
    for (const imageId of ids) {
      const image = images.get(imageId);
      if (!image) {
        throw new PlanError(
          `component "${component.id}" runs image "${imageId}", which is not declared in images (declared: ${list(imageIds)}); declare its build or its pinned reference`,
        );
      }
      if (isBuiltImage(image) && image.buildOnly) {
        throw new PlanError(
          `component "${component.id}" runs image "${imageId}", which is build-only: it is never loaded onto the nodes`,
        );
      }
      refs[imageId] = isBuiltImage(image) ? placeholderRef(image.build.imageName) : image.ref;
    }
    const objects = renderForCheck(component, refs);
    const allowed = new Set(Object.values(refs));
    for (const image of containerImages(objects)) {
      if (!allowed.has(image)) {
        throw new PlanError(
          `component "${component.id}" has a container running "${image}", which is none of its images (${list(ids)}); declare the image and list it in the component's images, or a node could not pull it (ErrImageNeverPull)`,
        );
      }
    }
  }
}

function renderForCheck(
  component: Exclude<ComponentDeclaration, { kind: 'migrate' }>,
  refs: Record<string, string>,
): readonly KubeObject[] {
  try {
    return component.kind === 'deploy' ? component.manifests(refs) : component.objects({ images: refs });
  } catch (error) {
    throw new PlanError(
      `rendering the manifests of component "${component.id}" failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
