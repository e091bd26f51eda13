import type { KubeObject } from '@kubernaut-e2e/core';

/** What a redacted Secret value reads. */
export const REDACTED = '<redacted>';

/** A Secret with each `data` and `stringData` value replaced by {@link REDACTED} (keys stay); other kinds unchanged. */
export function redactSecret(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return object;
  const redacted = (['data', 'stringData'] as const).flatMap((field) => {
    const values = object[field];
    return values !== null && typeof values === 'object'
      ? [[field, Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED]))] as const]
      : [];
  });
  return { ...object, ...Object.fromEntries(redacted) };
}
