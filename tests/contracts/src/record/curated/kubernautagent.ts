import { unknownKeysNote } from './shared.js';
import type { CuratedBinary, CuratedDefault, CuratedRequired } from './types.js';

const config = (line: number) => `internal/kubernautagent/config/config.go:${line}`;

/** `return fmt.Errorf("<path> must be …")` at `line`: Validate's message names the key itself. */
const refused = (path: string, line: number, rule: string): CuratedRequired => ({
  path,
  at: config(line),
  quote: `fmt.Errorf("${path} ${rule}`,
});
const preset = (path: string, quote: string, value: string, line: number): CuratedDefault => ({
  path,
  value,
  at: config(line),
  quote,
});

/**
 * The agent's `-config` file (`kaconfig.Load`, which main reads from `-config`, cmd/kubernautagent/main.go:62,443).
 * `required` lists what Validate refuses unconditionally (config.go:108-330); the conditional rules (the audit
 * buffer while audit is enabled, the alignment check's timings while it is enabled, interactive sessions' TTL
 * while they are enabled) are the notes'.
 */
export const kubernautagent: CuratedBinary = {
  binary: 'kubernautagent',
  loader: 'Load',
  required: [
    refused('runtime.server.port', 140, 'must be 1-65535'),
    refused('runtime.server.rateLimit.requestsPerSecond', 122, 'must be positive'),
    refused('runtime.server.rateLimit.burst', 125, 'must be positive'),
    refused('runtime.session.ttl', 146, 'must be positive'),
    refused('runtime.session.maxConcurrentInvestigations', 149, 'must be positive'),
    refused('runtime.shutdown.drainSeconds', 165, 'must be positive'),
    refused('ai.investigation.maxTurns', 179, 'must be positive'),
    refused('ai.summarizer.maxToolOutputSize', 185, 'must be positive'),
    refused('ai.safety.anomaly.maxToolCallsPerTool', 191, 'must be positive'),
    refused('ai.safety.anomaly.maxTotalToolCalls', 194, 'must be positive'),
    refused('ai.safety.anomaly.maxRepeatedFailures', 197, 'must be positive'),
  ],
  defaults: [
    preset('runtime.server.port', 'Address: "0.0.0.0", Port: 8443,', '8443', 359),
    preset('runtime.server.rateLimit.requestsPerSecond', 'RequestsPerSecond: 5,', '5', 364),
    preset('runtime.server.rateLimit.burst', 'Burst: 10,', '10', 365),
    preset('runtime.session.ttl', 'TTL: 30 * time.Minute,', '30 * time.Minute', 370),
    preset('runtime.session.maxConcurrentInvestigations', 'MaxConcurrentInvestigations: 10}', '10', 370),
    preset('runtime.shutdown.drainSeconds', 'Shutdown: ShutdownConfig{DrainSeconds: 30}', '30', 377),
    preset('ai.investigation.maxTurns', 'MaxTurns: 40,', '40', 397),
    preset(
      'ai.summarizer.maxToolOutputSize',
      'MaxToolOutputSize: DefaultMaxToolOutputSize,',
      'DefaultMaxToolOutputSize',
      403,
    ),
    preset('ai.safety.anomaly.maxToolCallsPerTool', 'MaxToolCallsPerTool: 10,', '10', 430),
    preset('ai.safety.anomaly.maxTotalToolCalls', 'MaxTotalToolCalls: 30,', '30', 431),
    preset('ai.safety.anomaly.maxRepeatedFailures', 'MaxRepeatedFailures: 3,', '3', 432),
  ],
  ports: {
    api: {
      value: 8443,
      configKey: 'runtime.server.port',
      serves: 'the agent API (HTTPS from runtime.server.tls.certDir)',
      at: config(359),
      quote: 'Port: 8443,',
      note: 'A number, not an address; -addr overrides it.',
    },
    health: {
      value: 8081,
      configKey: 'runtime.server.healthAddr',
      serves: '/healthz, /readyz',
      at: config(359),
      quote: 'HealthAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'runtime.server.metricsAddr',
      serves: '/metrics',
      at: config(359),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'Load starts from DefaultConfig(): a key left out keeps its default.',
      at: config(32),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(33), 'yaml.Unmarshal(data, cfg)'),
    {
      text: 'While runtime.audit.enabled (the default), runtime.audit.bufferSize and batchSize must be positive.',
      at: config(153),
      quote: 'runtime.audit.bufferSize must be positive when audit enabled',
    },
    {
      text:
        'While ai.alignmentCheck.enabled, its timeout, maxStepTokens and verdictTimeout must be positive ' +
        '(their defaults are).',
      at: config(293),
      quote: 'ai.alignmentCheck.timeout must be positive when enabled',
    },
    {
      text: 'While interactive.enabled, interactive.sessionTTL must be positive and at most 1h.',
      at: config(326),
      quote: 'interactive.sessionTTL must be positive when enabled',
    },
    {
      text: 'The LLM runtime file (-llm-runtime) is a second file, decoded into LLMRuntimeConfig; its model is required.',
      at: config(42),
      quote: 'yaml.Unmarshal(data, &rt)',
    },
  ],
};
