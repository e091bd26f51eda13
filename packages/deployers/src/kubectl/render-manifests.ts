import type { KubeObject } from '@kubernaut-e2e/core';
import { stringify } from 'yaml';

/**
 * Renders objects as one multi-document YAML stream (what `kubectl apply -f -` reads). A YAML library
 * does the quoting, so values such as `"on"`, `"0755"` or multi-line configs survive unchanged.
 */
export function renderManifests(objects: readonly KubeObject[]): string {
  // lineWidth 0: never fold long strings, so the stream stays diffable and greppable in logs.
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}
