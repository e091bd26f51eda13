import type { KubeObject } from '@kubernaut-e2e/core';
import type { Container, PolicyRule, Volume } from './kube-types.js';

/**
 * Images the deployers run were either built by this run and loaded into kind's nodes, or pinned public
 * images. `IfNotPresent` uses the copy already on the node; `Always` would ask a registry first and fail
 * for a locally loaded `localhost/...` image that no registry has, and `Never` would break the pinned
 * public images on a fresh node.
 */
export const IMAGE_PULL_POLICY = 'IfNotPresent' as const;

/** The label every object gets, so a namespace's kubernaut-e2e objects can be listed and removed together. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'kubernaut-e2e' } as const;

export function appLabels(app: string, extra?: Readonly<Record<string, string>>): Record<string, string> {
  return { app, ...MANAGED_BY_LABEL, ...extra };
}

export function secretObject(
  name: string,
  namespace: string,
  stringData: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
  type = 'Opaque',
): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, type, stringData };
}

export function configMapObject(
  name: string,
  namespace: string,
  data: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

export interface ServicePortObject {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly nodePort?: number;
}

export function serviceObject(
  name: string,
  namespace: string,
  selector: Readonly<Record<string, string>>,
  ports: readonly ServicePortObject[],
  labels: Readonly<Record<string, string>>,
): KubeObject {
  // A Service is NodePort as soon as one of its ports pins a node port (the host reaches it through
  // kind's extraPortMappings); otherwise it stays ClusterIP and is reached by port-forward.
  const type = ports.some((p) => p.nodePort !== undefined) ? 'NodePort' : 'ClusterIP';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { type, selector, ports },
  };
}

export interface DeploymentParts {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly containers: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly serviceAccountName?: string;
  readonly securityContext?: { readonly runAsUser: number; readonly runAsGroup: number };
}

export function deploymentObject(parts: DeploymentParts): KubeObject {
  const podSpec: Record<string, unknown> = { containers: parts.containers };
  if (parts.serviceAccountName) podSpec.serviceAccountName = parts.serviceAccountName;
  if (parts.securityContext) podSpec.securityContext = parts.securityContext;
  if (parts.volumes && parts.volumes.length > 0) podSpec.volumes = parts.volumes;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: parts.name, namespace: parts.namespace, labels: parts.labels },
    spec: {
      replicas: parts.replicas,
      selector: { matchLabels: { app: parts.labels.app ?? parts.name } },
      template: { metadata: { labels: parts.labels }, spec: podSpec },
    },
  };
}

export function serviceAccountObject(
  name: string,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } };
}

/** A Role + RoleBinding granting `rules` in the namespace to the service account. */
export function namespacedRbacObjects(
  account: string,
  namespace: string,
  rules: readonly PolicyRule[],
  labels: Readonly<Record<string, string>>,
): KubeObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: account, namespace, labels },
      rules,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: account, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: account },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
  ];
}

/**
 * A ClusterRole + ClusterRoleBinding for the service account. Cluster-scoped names are shared by every
 * namespace, so they carry the namespace: two suites deploying the same service side by side in one
 * cluster must not overwrite each other's binding.
 */
export function clusterRbacObjects(
  account: string,
  namespace: string,
  rules: readonly PolicyRule[],
  labels: Readonly<Record<string, string>>,
): KubeObject[] {
  const name = `${namespace}-${account}`;
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
  ];
}

/**
 * A RoleBinding that grants a ClusterRole defined elsewhere (e.g. `data-storage-client` from a repository manifest)
 * to the service account, in its namespace only: `<account>-<role>`, as kubernaut's suites name it.
 */
export function clusterRoleBindingInNamespace(
  account: string,
  namespace: string,
  clusterRole: string,
  labels: Readonly<Record<string, string>>,
): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${account}-${clusterRole}`, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
  };
}
