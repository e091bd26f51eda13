import { dataStorageDefaults, dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `pkg/authwebhook/config/config.go:${line}`;

export const authwebhook: CuratedBinary = {
  binary: 'authwebhook',
  required: [
    { path: 'webhook.port', at: config(110), quote: 'fmt.Errorf("webhook.port must be between 1 and 65535' },
    { path: 'webhook.certDir', at: config(113), quote: 'fmt.Errorf("webhook.certDir is required")' },
    {
      path: 'webhook.healthProbeAddr',
      at: config(116),
      quote: 'fmt.Errorf("webhook.healthProbeAddr is required")',
    },
    ...dataStorageRequired(),
  ],
  defaults: [
    { path: 'webhook.port', value: '9443', at: config(75), quote: 'Port: 9443,' },
    {
      path: 'webhook.certDir',
      value: '"/tmp/k8s-webhook-server/serving-certs"',
      at: config(76),
      quote: 'CertDir: "/tmp/k8s-webhook-server/serving-certs",',
    },
    { path: 'webhook.healthProbeAddr', value: '":8081"', at: config(77), quote: 'HealthProbeAddr: ":8081",' },
    ...dataStorageDefaults(),
  ],
  ports: {
    health: {
      value: 8081,
      configKey: 'webhook.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(77),
      quote: 'HealthProbeAddr: ":8081",',
    },
    metrics: {
      value: null,
      serves: 'nothing: the metrics endpoint is disabled',
      at: 'cmd/authwebhook/main.go:105',
      quote: 'BindAddress: "0", // Disable metrics endpoint',
    },
    api: {
      value: 9443,
      configKey: 'webhook.port',
      serves: 'the admission webhooks (HTTPS, certificates from webhook.certDir)',
      at: config(75),
      quote: 'Port: 9443,',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultConfig(): a key left out keeps its default.',
      at: config(88),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(99), 'yaml.Unmarshal(data, cfg)'),
  ],
};
