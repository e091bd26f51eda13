import type { KubeObject } from '@kubernaut-e2e/core';

/**
 * Every container image the objects would run (`containers` and `initContainers` at any depth, so
 * Deployments, StatefulSets, Jobs and bare Pods are all covered).
 */
export function containerImages(objects: readonly KubeObject[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
        for (const container of child) {
          const image = (container as { image?: unknown } | null)?.image;
          if (typeof image === 'string') found.push(image);
        }
      }
      walk(child);
    }
  };
  walk(objects);
  return found;
}
