import { PlanError } from '@kubernaut-e2e/core';
import type { ServiceDeclaration } from '../declaration.js';
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
    if (component.kind !== 'deploy') continue;
    const refs: Record<string, string> = {};
    for (const imageId of component.images) {
      const image = images.get(imageId);
      if (!image) {
        throw new PlanError(
          `component "${component.id}" runs image "${imageId}", which is not declared in images (declared: ${list(imageIds)}); declare its build or list a pinned reference in externalImages`,
        );
      }
      refs[imageId] = placeholderRef(image.build.imageName);
    }
    let objects: ReturnType<typeof component.manifests>;
    try {
      objects = component.manifests(refs);
    } catch (error) {
      throw new PlanError(
        `rendering the manifests of component "${component.id}" failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const allowed = new Set([...Object.values(refs), ...(component.externalImages ?? [])]);
    for (const image of containerImages(objects)) {
      if (!allowed.has(image)) {
        throw new PlanError(
          `component "${component.id}" has a container running "${image}", which is neither one of its images (${list(component.images)}) nor in its externalImages (${list(component.externalImages ?? [])}); a node could not pull it (ErrImageNeverPull)`,
        );
      }
    }
  }
}
