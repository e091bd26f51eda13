import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary, CuratedDefault, CuratedRequired } from './types.js';

const config = (line: number) => `internal/config/remediationorchestrator/config.go:${line}`;

/** `return fmt.Errorf("<path> must be …")` at `line`: Validate's message names the key itself. */
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

export const remediationorchestrator: CuratedBinary = {
  binary: 'remediationorchestrator',
  required: [
    ...dataStorageRequired(),
    refused('controller.metricsAddr', 385, 'is required'),
    refused('controller.healthProbeAddr', 388, 'is required'),
    refused('timeouts.global', 396, 'must be positive'),
    refused('timeouts.processing', 399, 'must be positive'),
    refused('timeouts.analyzing', 402, 'must be positive'),
    refused('timeouts.executing', 405, 'must be positive'),
    refused('timeouts.awaitingApproval', 408, 'must be positive'),
    refused('timeouts.verifying', 411, 'must be positive'),
    refused('effectivenessAssessment.stabilizationWindow', 423, 'must be at least 1s'),
    refused('routing.consecutiveFailureThreshold', 450, 'must be >= 1'),
    refused('routing.consecutiveFailureCooldown', 453, 'must be positive'),
    refused('routing.recentlyRemediatedCooldown', 456, 'must be positive'),
    refused('routing.exponentialBackoffBase', 459, 'must be positive'),
    refused('routing.exponentialBackoffMax', 462, 'must be positive'),
    refused('routing.exponentialBackoffMaxExponent', 468, 'must be >= 1'),
    refused('routing.scopeBackoffBase', 471, 'must be positive'),
    refused('routing.scopeBackoffMax', 474, 'must be positive'),
    refused('routing.ineffectiveChainThreshold', 477, 'must be >= 1'),
    refused('routing.recurrenceCountThreshold', 480, 'must be >= 1'),
    refused('routing.ineffectiveTimeWindow', 483, 'must be positive'),
    refused('retention.period', 360, 'must be positive'),
  ],
  defaults: [
    ...dataStorageDefaults(),
    preset('controller.metricsAddr', 'MetricsAddr', '":9090"', 261),
    preset('controller.healthProbeAddr', 'HealthProbeAddr', '":8081"', 262),
    preset('timeouts.global', 'Global', '1 * time.Hour', 267),
    preset('timeouts.processing', 'Processing', '5 * time.Minute', 268),
    preset('timeouts.analyzing', 'Analyzing', '10 * time.Minute', 269),
    preset('timeouts.executing', 'Executing', '30 * time.Minute', 270),
    preset('timeouts.awaitingApproval', 'AwaitingApproval', '15 * time.Minute', 271),
    preset('timeouts.verifying', 'Verifying', '30 * time.Minute', 272),
    preset('effectivenessAssessment.stabilizationWindow', 'StabilizationWindow', '5 * time.Minute', 275),
    preset('retention.period', 'Period', '24 * time.Hour', 283),
    preset('routing.consecutiveFailureThreshold', 'ConsecutiveFailureThreshold', '3', 286),
    preset('routing.consecutiveFailureCooldown', 'ConsecutiveFailureCooldown', '1 * time.Hour', 287),
    preset('routing.recentlyRemediatedCooldown', 'RecentlyRemediatedCooldown', '5 * time.Minute', 288),
    preset('routing.exponentialBackoffBase', 'ExponentialBackoffBase', '1 * time.Minute', 289),
    preset('routing.exponentialBackoffMax', 'ExponentialBackoffMax', '10 * time.Minute', 290),
    preset('routing.exponentialBackoffMaxExponent', 'ExponentialBackoffMaxExponent', '4', 291),
    preset('routing.scopeBackoffBase', 'ScopeBackoffBase', '5 * time.Second', 292),
    preset('routing.scopeBackoffMax', 'ScopeBackoffMax', '5 * time.Minute', 293),
    preset('routing.ineffectiveChainThreshold', 'IneffectiveChainThreshold', '3', 294),
    preset('routing.recurrenceCountThreshold', 'RecurrenceCountThreshold', '5', 295),
    preset('routing.ineffectiveTimeWindow', 'IneffectiveTimeWindow', '4 * time.Hour', 296),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(262),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(261),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultConfig(): a key left out keeps its default.',
      at: config(308),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(319), 'yaml.Unmarshal(data, cfg)'),
    {
      text:
        'LoadFromFile validates as well as main: besides the required keys, timeouts.global must be at least ' +
        'processing + analyzing + awaitingApproval + executing, and routing.exponentialBackoffMax at least ' +
        'routing.exponentialBackoffBase.',
      at: config(323),
      quote: 'if err := cfg.Validate(); err != nil {',
    },
  ],
};
