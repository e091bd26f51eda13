import type { SeedSpec } from '@kubernaut-e2e/setup';

/**
 * The ActionTypes kubernaut's suites seed for DataStorage's workflow catalog, by name: `metadata.name` and
 * `spec.name` as recorded from kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0,
 * `test/infrastructure/actiontype_e2e.go:38-50` (`e2eActionTypes`). The descriptions are this project's own.
 */
export const E2E_ACTION_TYPES = [
  ['delete-pod', 'DeletePod'],
  ['drain-node', 'DrainNode'],
  ['fix-authorization-policy', 'FixAuthorizationPolicy'],
  ['fix-certificate', 'FixCertificate'],
  ['increase-memory-limits', 'IncreaseMemoryLimits'],
  ['restart-deployment', 'RestartDeployment'],
  ['restart-pod', 'RestartPod'],
  ['rollback-deployment', 'RollbackDeployment'],
  ['increase-cpu-limits', 'IncreaseCPULimits'],
  ['scale-replicas', 'ScaleReplicas'],
  ['reconfigure-resource', 'ReconfigureResource'],
] as const;

/**
 * The seed kubernaut's setups run once DataStorage is ready when no auth webhook registers ActionTypes
 * (`SeedActionTypesViaCRD`): each ActionType applied, then marked registered and active through its status
 * subresource, as the webhook would.
 */
export function actionTypeSeed(dependsOn: readonly string[] = ['datastorage']): SeedSpec {
  return {
    id: 'action-types',
    dependsOn: [...dependsOn],
    objects: E2E_ACTION_TYPES.map(([name, specName]) => ({
      apiVersion: 'kubernaut.ai/v1alpha1',
      kind: 'ActionType',
      metadata: { name },
      spec: {
        name: specName,
        description: {
          what: `${specName}: an action type seeded for end-to-end tests.`,
          whenToUse: `When a test's remediation selects ${specName}.`,
        },
      },
      status: { registered: true, catalogStatus: 'Active', registeredBy: 'kubernaut-e2e' },
    })),
  };
}
