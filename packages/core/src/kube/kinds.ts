/**
 * The kinds a Kubernetes API server serves without a CRD, and which of them are cluster-scoped: what the simulated
 * API server enforces and what decides whether an applied object takes the run's namespace.
 */
/** Built-in kinds that have no namespace. */
const CLUSTER_SCOPED = [
  'Namespace',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'IngressClass',
  'PriorityClass',
  'StorageClass',
];

/** Built-in kinds that live in a namespace. */
const NAMESPACED = [
  'Pod',
  'Service',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'PersistentVolumeClaim',
  'Endpoints',
  'LimitRange',
  'ResourceQuota',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Role',
  'RoleBinding',
  'Ingress',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Lease',
  'EndpointSlice',
];

const builtinKinds = new Set([...NAMESPACED, ...CLUSTER_SCOPED].map((k) => k.toLowerCase()));
const clusterScopedKinds = new Set(CLUSTER_SCOPED.map((k) => k.toLowerCase()));

/** True for a kind the API server serves without a CustomResourceDefinition. */
export function isBuiltinKind(kind: string): boolean {
  return builtinKinds.has(kind.toLowerCase());
}

/** True for a built-in kind that has no namespace (a custom kind's scope is its CRD's `spec.scope`). */
export function isClusterScoped(kind: string): boolean {
  return clusterScopedKinds.has(kind.toLowerCase());
}
