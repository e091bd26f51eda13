import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `internal/config/aianalysis/config.go:${line}`;

export const aianalysis: CuratedBinary = {
  binary: 'aianalysis',
  required: [
    {
      path: 'controller.metricsAddr',
      at: config(159),
      quote: 'fmt.Errorf("controller.metricsAddr is required")',
    },
    {
      path: 'controller.healthProbeAddr',
      at: config(162),
      quote: 'fmt.Errorf("controller.healthProbeAddr is required")',
    },
    ...dataStorageRequired(),
    {
      path: 'maxConcurrentReconciles',
      at: config(171),
      quote: 'fmt.Errorf("maxConcurrentReconciles must be at least 1',
    },
    { path: 'rego.policyPath', at: config(184), quote: 'fmt.Errorf("rego.policyPath is required")' },
  ],
  defaults: [
    { path: 'controller.metricsAddr', value: '":9090"', at: config(110), quote: 'MetricsAddr: ":9090",' },
    {
      path: 'controller.healthProbeAddr',
      value: '":8081"',
      at: config(111),
      quote: 'HealthProbeAddr: ":8081",',
    },
    ...dataStorageDefaults(['datastorage.buffer.bufferSize', 'datastorage.buffer.batchSize']),
    {
      path: 'datastorage.buffer.bufferSize',
      value: '20000',
      at: config(105),
      quote: 'ds.Buffer.BufferSize = 20000',
    },
    {
      path: 'datastorage.buffer.batchSize',
      value: '1000',
      at: config(106),
      quote: 'ds.Buffer.BatchSize = 1000',
    },
    {
      path: 'maxConcurrentReconciles',
      value: '10',
      at: config(120),
      quote: 'MaxConcurrentReconciles: 10,',
    },
    {
      path: 'rego.policyPath',
      value: '"/etc/aianalysis/policies/approval.rego"',
      at: config(117),
      quote: 'PolicyPath: "/etc/aianalysis/policies/approval.rego",',
    },
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(111),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(110),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultConfig(): a key left out keeps its default.',
      at: config(128),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(139), 'yaml.Unmarshal(data, cfg)'),
    {
      text: 'The approval policy at rego.policyPath must exist: the process exits when it cannot be loaded.',
      at: 'cmd/aianalysis/main.go:210',
      quote: 'setupLog.Error(err, "failed to load approval policy")',
    },
  ],
};
