import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `pkg/signalprocessing/config/config.go:${line}`;

export const signalprocessing: CuratedBinary = {
  binary: 'signalprocessing',
  required: [
    {
      path: 'enrichment.cacheTtl',
      at: config(171),
      quote: 'fmt.Errorf("enrichment cacheTtl must be positive',
    },
    { path: 'enrichment.timeout', at: config(174), quote: 'fmt.Errorf("enrichment timeout must be positive' },
    {
      path: 'classifier.regoConfigMapName',
      at: config(177),
      quote: 'fmt.Errorf("rego ConfigMap name is required")',
    },
    {
      path: 'classifier.hotReloadInterval',
      at: config(180),
      quote: 'fmt.Errorf("hot-reload interval must be positive',
    },
    ...dataStorageRequired(),
  ],
  defaults: [
    {
      path: 'enrichment.cacheTtl',
      value: '5 * time.Minute',
      at: config(137),
      quote: 'CacheTTL: 5 * time.Minute,',
    },
    {
      path: 'enrichment.timeout',
      value: '10 * time.Second',
      at: config(138),
      quote: 'Timeout: 10 * time.Second,',
    },
    {
      path: 'classifier.regoConfigMapName',
      value: '"signalprocessing-policy"',
      at: config(141),
      quote: 'RegoConfigMapName: "signalprocessing-policy",',
    },
    {
      path: 'classifier.hotReloadInterval',
      value: '30 * time.Second',
      at: config(143),
      quote: 'HotReloadInterval: 30 * time.Second,',
    },
    ...dataStorageDefaults(),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(127),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(126),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text:
        'LoadFromFile starts from DefaultConfig() (a key left out keeps its default) but, unlike the other ' +
        'controllers, has no fallback for an empty path: the file must exist.',
      at: config(154),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(161), 'yaml.Unmarshal(data, cfg)'),
    {
      text:
        'The Rego policy is mandatory: /etc/signalprocessing/policies/<classifier.regoConfigMapKey> ' +
        '(default key policy.rego) must exist, or the process exits.',
      at: 'cmd/signalprocessing/main.go:216',
      quote: 'filepath.Join("/etc/signalprocessing/policies", cfg.Classifier.RegoConfigMapKey)',
    },
  ],
};
