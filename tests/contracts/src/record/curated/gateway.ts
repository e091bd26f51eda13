import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `pkg/gateway/config/config.go:${line}`;

export const gateway: CuratedBinary = {
  binary: 'gateway',
  required: [
    { path: 'server.listenAddr', at: config(107), quote: '"server.listenAddr",' },
    ...dataStorageRequired(),
  ],
  defaults: [
    { path: 'server.listenAddr', value: '":8080"', at: config(402), quote: 'ListenAddr: ":8080",' },
    ...dataStorageDefaults(),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'server.healthAddr',
      serves: '/healthz, /readyz (pkg/shared/health NewHealthServer)',
      at: config(403),
      quote: 'HealthAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'server.metricsAddr',
      serves: '/metrics',
      at: config(404),
      quote: 'MetricsAddr: ":9090",',
    },
    api: {
      value: 8080,
      configKey: 'server.listenAddr',
      serves: 'the signal-ingestion HTTP API (HTTPS when server.tls.certDir is set)',
      at: config(402),
      quote: 'ListenAddr: ":8080",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultServerConfig(): a key left out keeps its default.',
      at: config(427),
      quote: 'cfg := DefaultServerConfig()',
    },
    unknownKeysNote(config(438), 'yaml.Unmarshal(data, cfg)'),
    {
      text:
        'processing.retry.maxAttempts 0 (or absent) is replaced by DefaultRetrySettings() before Validate, so ' +
        'it is not a required key although Validate refuses values below 1.',
      at: config(444),
      quote: 'cfg.Processing.Retry = DefaultRetrySettings()',
    },
    {
      text: 'The TRUSTED_PROXY_CIDRS environment variable (comma-separated) overrides middleware.trustedProxyCIDRs.',
      at: config(464),
      quote: 'os.Getenv("TRUSTED_PROXY_CIDRS")',
    },
  ],
};
