import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary, CuratedDefault, CuratedRequired } from './types.js';

const config = (line: number) => `internal/config/effectivenessmonitor/config.go:${line}`;

/** `return fmt.Errorf("<path> …")` at `line`: Validate's message names the key itself. */
const refused = (path: string, line: number, rule: string): CuratedRequired => ({
  path,
  at: config(line),
  quote: `fmt.Errorf("${path} ${rule}`,
});
/** `<Field>: <value>,` in DefaultConfig() at `line`. */
const preset = (path: string, field: string, value: string, line: number): CuratedDefault => ({
  path,
  value,
  at: config(line),
  quote: `${field}: ${value},`,
});

export const effectivenessmonitor: CuratedBinary = {
  binary: 'effectivenessmonitor',
  required: [
    refused('assessment.stabilizationWindow', 194, 'must be at least 30s'),
    refused('assessment.validityWindow', 200, 'must be at least 30s'),
    refused('assessment.maxConcurrentReconciles', 210, 'must be at least 1'),
    ...dataStorageRequired(),
    refused('controller.metricsAddr', 223, 'is required'),
    refused('controller.healthProbeAddr', 226, 'is required'),
    refused('external.connectionTimeout', 240, 'must be positive'),
    refused('external.prometheusLookback', 243, 'must be at least 1m'),
    refused('external.scrapeInterval', 246, 'must be at least 5s'),
  ],
  defaults: [
    preset('assessment.stabilizationWindow', 'StabilizationWindow', '5 * time.Minute', 117),
    preset('assessment.validityWindow', 'ValidityWindow', '30 * time.Minute', 118),
    preset('assessment.maxConcurrentReconciles', 'MaxConcurrentReconciles', '10', 119),
    ...dataStorageDefaults(),
    preset('controller.metricsAddr', 'MetricsAddr', '":9090"', 123),
    preset('controller.healthProbeAddr', 'HealthProbeAddr', '":8081"', 124),
    preset('external.connectionTimeout', 'ConnectionTimeout', '10 * time.Second', 133),
    preset('external.prometheusLookback', 'PrometheusLookback', '30 * time.Minute', 134),
    preset('external.scrapeInterval', 'ScrapeInterval', '60 * time.Second', 135),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(124),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(123),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultConfig(): a key left out keeps its default.',
      at: config(145),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(156), 'yaml.Unmarshal(data, cfg)'),
    {
      text:
        'external.prometheusUrl and external.alertManagerUrl are required while prometheusEnabled and ' +
        'alertManagerEnabled are true (their default): an empty URL is refused.',
      at: config(234),
      quote: 'fmt.Errorf("external.prometheusUrl is required when Prometheus is enabled")',
    },
    {
      text:
        'assessment.stabilizationWindow must be shorter than assessment.validityWindow, each within [30s, 1h] ' +
        'and [30s, 24h].',
      at: config(206),
      quote: 'must be shorter than validityWindow',
    },
  ],
};
