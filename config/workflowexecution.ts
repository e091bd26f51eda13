// The workflow execution controller's suite, as kubernaut runs it (`test/infrastructure/workflowexecution_e2e_hybrid.go`,
// "hyb" below, at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0).
//
// Left out: Tekton Pipelines (the suite applies its v1.7.0 release from GitHub, hyb:821-899) and AWX (the operator's
// kustomization from GitHub, then an AWX configured over its REST API whose token and organisation are patched into
// the controller's config, awx_e2e.go:81-1084). Without them the controller runs the Job engine only; the Tekton
// and Ansible workflows are not seeded.
import { authWebhookStack } from '@kubernaut-e2e/authwebhook';
import { actionTypeSeed } from '@kubernaut-e2e/datastorage';
import { defineService, type RunContext, type SeedSpec } from '@kubernaut-e2e/setup';
import { controllerDeployment, controllerSection, dataStorageSection } from './controller.js';

/** Where the controller runs workflows (Jobs), and where their dependency Secrets and ConfigMaps are. */
export const EXECUTION_NAMESPACE = 'kubernaut-workflows';

const CONFIG_DIR = '/etc/config';
const CONFIG_FILE = 'workflowexecution.yaml';

/** `workflowexecution.yaml` (hyb:1324-1341) with the keys of `pkg/workflowexecution/config/config.go`. */
export function workflowExecutionConfig(run: RunContext) {
  return {
    controller: controllerSection('workflowexecution.kubernaut.ai'),
    execution: { namespace: EXECUTION_NAMESPACE, cooldownPeriod: '1m' },
    datastorage: dataStorageSection(run),
  };
}

/** The suite's Job-engine workflows (`test/fixtures/workflows/<dir>/workflow-schema.yaml`, hyb:587). */
export const JOB_WORKFLOWS = [
  'job-hello-world',
  'job-failing',
  'job-oomkill',
  'dep-secret-job',
  'dep-configmap-job',
];

const read = ['get', 'list', 'watch'];
const all = [...read, 'create', 'update', 'patch', 'delete'];
const inExecution = { namespace: EXECUTION_NAMESPACE };
const binding = (
  kind: 'Role' | 'ClusterRole',
  name: string,
  account: { name: string; namespace: string },
) => ({
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
  subjects: [{ kind: 'ServiceAccount', ...account }],
});

/**
 * What the suite puts into the execution namespace before the controller starts, and after (hyb:487-571, 953-1006):
 * read access to its Secrets and ConfigMaps for the controller and for DataStorage's dependency checks, the
 * `workflow-job-executor` account Jobs run as, and the dependency fixtures the workflows name.
 */
function executionNamespaceSeed(): SeedSpec {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const readDependencies = (verbs: string[]) => [
    { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs },
  ];
  const data = (kind: 'Secret' | 'ConfigMap', name: string, entry: Record<string, string>) => ({
    apiVersion: 'v1',
    kind,
    metadata: { name, ...inExecution },
    ...(kind === 'Secret' ? { stringData: entry } : { data: entry }),
  });
  return {
    id: 'execution-namespace-objects',
    dependsOn: ['execution-namespace'],
    objects: (run) => [
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: 'workflowexecution-dependency-reader', ...inExecution },
        rules: readDependencies(read),
      },
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'workflowexecution-dependency-reader', ...inExecution },
        ...binding('Role', 'workflowexecution-dependency-reader', {
          name: 'workflowexecution-controller',
          namespace: run.namespace,
        }),
      },
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: 'data-storage-dep-validator', ...inExecution },
        rules: readDependencies(['get']),
      },
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'data-storage-dep-validator', ...inExecution },
        ...binding('Role', 'data-storage-dep-validator', {
          name: 'data-storage-sa',
          namespace: run.namespace,
        }),
      },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: 'workflow-job-executor',
          ...inExecution,
          labels: { app: 'workflowexecution', component: 'job-executor' },
        },
      },
      {
        apiVersion: rbac,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'workflow-job-executor' },
        ...binding('ClusterRole', 'workflow-job-executor', {
          name: 'workflow-job-executor',
          namespace: EXECUTION_NAMESPACE,
        }),
      },
      data('Secret', 'e2e-dep-secret', { token: 'e2e-test-value' }),
      data('Secret', 'e2e-dep-secret-tekton', { token: 'e2e-test-value-tekton' }),
      data('Secret', 'e2e-dep-secret-ansible', { token: 'e2e-ansible-secret-value' }),
      data('ConfigMap', 'e2e-dep-configmap', { setting: 'e2e-configmap-value' }),
      data('ConfigMap', 'e2e-dep-configmap-tekton', { setting: 'e2e-configmap-value-tekton' }),
      data('ConfigMap', 'e2e-dep-configmap-ansible', { setting: 'e2e-ansible-configmap-value' }),
    ],
  };
}

/** The ActionTypes, registered by the auth webhook (`SeedE2EActionTypes`): applied without a status of our own. */
function webhookRegisteredActionTypes(): SeedSpec {
  const seed = actionTypeSeed(['authwebhook-webhooks']);
  const objects = Array.isArray(seed.objects) ? seed.objects : [];
  return { ...seed, objects: objects.map(({ status: _status, ...object }) => object) };
}

/**
 * kubernaut's `workflowexecution-e2e` suite without Tekton and AWX: its kind config
 * (`test/infrastructure/kind-workflowexecution-config.yaml`: metrics on 9185, DataStorage on 8092), the DataStorage
 * stack and the auth webhook, the execution namespace `kubernaut-workflows` (managed), the controller reading
 * `/etc/config/workflowexecution.yaml`, then — through the auth webhook, which registers them — the ActionTypes and
 * the Job-engine workflows.
 */
export const workflowExecutionService = defineService({
  name: 'workflowexecution',
  description:
    'the workflow execution controller (Job engine), behind the auth webhook, on the DataStorage stack',
  pattern: 'hybrid',
  cluster: { name: 'workflowexecution-e2e', kubeconfig: '~/.kube/workflowexecution-e2e-config' },
  kindConfig: 'test/infrastructure/kind-workflowexecution-config.yaml',
  uses: [authWebhookStack],
  // The kind config also maps 30095 (AWX, not declarable here).
  hostPorts: { datastorage: 8092, datastorageHealth: 30281, metrics: 9185, health: 8085 },
  images: { workflowexecution: { dockerfile: 'docker/workflowexecution-controller.Dockerfile' } },
  crds: ['config/crd/bases/kubernaut.ai_workflowexecutions.yaml'],
  manifests: [
    {
      id: 'execution-namespace',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: EXECUTION_NAMESPACE, labels: { 'kubernaut.ai/managed': 'true' } },
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'workflow-job-executor' },
          rules: [
            {
              apiGroups: ['apps'],
              resources: ['deployments', 'statefulsets', 'daemonsets'],
              verbs: ['get', 'list', 'patch'],
            },
            { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
            { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'patch'] },
          ],
        },
      ],
    },
    {
      id: 'workflows',
      from: JOB_WORKFLOWS.map((dir) => `test/fixtures/workflows/${dir}/workflow-schema.yaml`),
      dependsOn: ['authwebhook-webhooks', 'action-types'],
    },
  ],
  seeds: [executionNamespaceSeed(), webhookRegisteredActionTypes()],
  deployments: [
    controllerDeployment({
      id: 'workflowexecution-controller',
      image: 'workflowexecution',
      serviceName: 'workflowexecution-controller-metrics',
      dependsOn: ['datastorage', 'execution-namespace-objects'],
      args: [`--config=${CONFIG_DIR}/${CONFIG_FILE}`],
      // The suite's Service publishes only metrics (30185); 30085 is where its kind config maps "health/ready".
      nodePorts: { metrics: 30185, health: 30085 },
      configFiles: [
        {
          name: 'workflowexecution-config',
          mountPath: CONFIG_DIR,
          files: { [CONFIG_FILE]: { yaml: workflowExecutionConfig } },
        },
      ],
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
      clusterRules: [
        { apiGroups: ['kubernaut.ai'], resources: ['workflowexecutions'], verbs: all },
        {
          apiGroups: ['kubernaut.ai'],
          resources: ['workflowexecutions/status'],
          verbs: ['get', 'update', 'patch'],
        },
        { apiGroups: ['kubernaut.ai'], resources: ['workflowexecutions/finalizers'], verbs: ['update'] },
        { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: all },
        { apiGroups: ['tekton.dev'], resources: ['taskruns'], verbs: read },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: all },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', ...read] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: all },
      ],
      // `CreateE2EServiceAccountWithDataStorageAccess` (hyb:375) binds the controller's account.
      clusterRoleBindings: ['data-storage-client'],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    }),
  ],
});
