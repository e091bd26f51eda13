import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `pkg/workflowexecution/config/config.go:${line}`;

export const workflowexecution: CuratedBinary = {
  binary: 'workflowexecution',
  // execution.*, controller.* and ansible.* are required by validate:"required" tags (recorded from the tags).
  required: dataStorageRequired(),
  defaults: [
    {
      path: 'execution.namespace',
      value: '"kubernaut-workflows"',
      at: config(163),
      quote: 'Namespace: "kubernaut-workflows",',
    },
    {
      path: 'execution.cooldownPeriod',
      value: '5 * time.Minute',
      at: config(164),
      quote: 'CooldownPeriod: 5 * time.Minute,',
    },
    { path: 'controller.metricsAddr', value: '":9090"', at: config(169), quote: 'MetricsAddr: ":9090",' },
    {
      path: 'controller.healthProbeAddr',
      value: '":8081"',
      at: config(170),
      quote: 'HealthProbeAddr: ":8081",',
    },
    {
      path: 'controller.leaderElectionId',
      value: '"workflowexecution.kubernaut.ai"',
      at: config(172),
      quote: 'LeaderElectionID: "workflowexecution.kubernaut.ai",',
    },
    ...dataStorageDefaults(),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(170),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(169),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultConfig(): a key left out keeps its default.',
      at: config(181),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(192), 'yaml.Unmarshal(data, cfg)'),
    {
      text:
        'Validate runs go-playground/validator over the struct: the validate:"required" tags are rules ' +
        '(ansible.* only when an ansible section is present).',
      at: config(222),
      quote: 'validate := validator.New()',
    },
  ],
};
