import { createHash } from 'node:crypto';
import type { KubeObject } from '@kubernaut-e2e/core';
import { z } from 'zod';

const labels = z.record(z.string(), z.string());

/** `{ name, key, optional? }` of `configMapKeyRef` / `secretKeyRef`. */
const keyRefSchema = z.looseObject({
  name: z.string(),
  key: z.string(),
  optional: z.boolean().optional(),
});
/** `{ name, optional? }` of `envFrom[].configMapRef` / `secretRef`. */
const nameRefSchema = z.looseObject({ name: z.string(), optional: z.boolean().optional() });
/** `items[]` of a ConfigMap or Secret volume: the keys it projects. */
const keyItemsSchema = z.array(z.looseObject({ key: z.string(), path: z.string() })).optional();
const configMapVolumeSchema = z.looseObject({
  name: z.string(),
  optional: z.boolean().optional(),
  items: keyItemsSchema,
});
const probeSchema = z.looseObject({
  httpGet: z.looseObject({ port: z.union([z.number().int(), z.string()]) }).optional(),
  tcpSocket: z.looseObject({ port: z.union([z.number().int(), z.string()]) }).optional(),
});

const containerSchema = z.looseObject({
  name: z.string().optional(),
  image: z.string().min(1, { message: 'every container needs an image' }),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  ports: z.array(z.looseObject({ containerPort: z.number().int(), name: z.string().optional() })).optional(),
  env: z
    .array(
      z.looseObject({
        name: z.string(),
        value: z.string().optional(),
        valueFrom: z
          .looseObject({ secretKeyRef: keyRefSchema.optional(), configMapKeyRef: keyRefSchema.optional() })
          .optional(),
      }),
    )
    .optional(),
  envFrom: z
    .array(z.looseObject({ configMapRef: nameRefSchema.optional(), secretRef: nameRefSchema.optional() }))
    .optional(),
  volumeMounts: z.array(z.looseObject({ name: z.string(), mountPath: z.string() })).optional(),
  readinessProbe: probeSchema.optional(),
  startupProbe: probeSchema.optional(),
});

const volumeSchema = z.looseObject({
  name: z.string(),
  configMap: configMapVolumeSchema.optional(),
  secret: z
    .looseObject({ secretName: z.string(), optional: z.boolean().optional(), items: keyItemsSchema })
    .optional(),
  projected: z
    .looseObject({
      sources: z
        .array(
          z.looseObject({
            configMap: configMapVolumeSchema.optional(),
            secret: configMapVolumeSchema.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

const podSpecSchema = z.looseObject({
  serviceAccountName: z.string().optional(),
  /** The deprecated alias of `serviceAccountName`, still honoured by the API server. */
  serviceAccount: z.string().optional(),
  volumes: z.array(volumeSchema).optional(),
  initContainers: z.array(containerSchema).optional(),
  containers: z.array(containerSchema).min(1, { message: 'a pod needs at least one container' }),
});

/** The parts of a Deployment the simulator models. */
export const deploymentSchema = z.looseObject({
  spec: z.looseObject({
    replicas: z.number().int().min(0).optional(),
    selector: z.looseObject({ matchLabels: labels.optional() }),
    template: z.looseObject({
      metadata: z.looseObject({ labels: labels.optional() }).optional(),
      spec: podSpecSchema,
    }),
  }),
});
export type DeploymentShape = z.infer<typeof deploymentSchema>;
export type ContainerShape = z.infer<typeof containerSchema>;
export type PodSpecShape = z.infer<typeof podSpecSchema>;
export type VolumeShape = z.infer<typeof volumeSchema>;
export type ProbeShape = z.infer<typeof probeSchema>;

/** The parts of a Service the simulator models. */
export const serviceSchema = z.looseObject({
  spec: z.looseObject({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    selector: labels.optional(),
    ports: z
      .array(
        z.looseObject({
          name: z.string().optional(),
          port: z.number().int(),
          targetPort: z.union([z.number().int(), z.string()]).optional(),
          nodePort: z.number().int().optional(),
        }),
      )
      .optional(),
  }),
});

/** Kinds served by the API server itself (no CRD needed), by lower-case kind. */
const rbacKinds = new Set(['serviceaccount', 'role', 'rolebinding', 'clusterrole', 'clusterrolebinding']);
const webhookKinds = new Set(['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']);

export { isBuiltinKind, isClusterScoped } from '@kubernaut-e2e/core';

/** Objects whose apply costs the profile's RBAC/TLS time. */
export function isRbacOrTls(object: KubeObject): boolean {
  const kind = object.kind.toLowerCase();
  return (
    rbacKinds.has(kind) ||
    webhookKinds.has(kind) ||
    (kind === 'secret' && object.type === 'kubernetes.io/tls')
  );
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Identity of an object in the store: lower-case kind, namespace (empty when cluster-scoped), name. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind.toLowerCase()}/${namespace ?? ''}/${name}`;
}

/** Short and plural spellings kubectl accepts in a `kind/name` reference. */
const kindAliases: Record<string, string> = {
  deploy: 'deployment',
  deployments: 'deployment',
  svc: 'service',
  services: 'service',
  po: 'pod',
  pods: 'pod',
  ns: 'namespace',
  namespaces: 'namespace',
  crd: 'customresourcedefinition',
  crds: 'customresourcedefinition',
  customresourcedefinitions: 'customresourcedefinition',
  sa: 'serviceaccount',
  cm: 'configmap',
  secrets: 'secret',
  statefulsets: 'statefulset',
  sts: 'statefulset',
  mutatingwebhookconfigurations: 'mutatingwebhookconfiguration',
  validatingwebhookconfigurations: 'validatingwebhookconfiguration',
};

/** Splits `deployment/gateway` (or `deploy/gateway`, `svc/x`…) into a lower-case kind and a name. */
export function splitResourceRef(ref: string): { readonly kind: string; readonly name: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) return undefined;
  const rawKind = ref.slice(0, slash).toLowerCase();
  const kind = rawKind.split('.')[0]!; // `deployments.apps/x`
  return { kind: kindAliases[kind] ?? kind, name: ref.slice(slash + 1) };
}

/**
 * The `pod-template-hash` of a Deployment's pod template, given its canonical spec: it names the
 * ReplicaSet (`<deployment>-<hash>`) and prefixes its pods' names. Stable for an unchanged spec.
 */
export function podTemplateHash(specKey: string): string {
  return createHash('sha256')
    .update(specKey)
    .digest('hex')
    .slice(0, 9)
    .replace(/^[0-9]/, 'b');
}

/** Stable JSON (sorted keys) for hashing and change detection. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function labelsMatch(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
