import { dataStorageRequired, unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const config = (line: number) => `pkg/notification/config/config.go:${line}`;
const main = (line: number) => `cmd/notification/main.go:${line}`;

export const notification: CuratedBinary = {
  binary: 'notification',
  // LoadFromFile decodes into a zero Config and applyDefaults never touches datastorage: no defaults there.
  required: dataStorageRequired(),
  defaults: [],
  ports: {
    health: {
      value: 8081,
      configKey: 'controller.healthProbeAddr',
      serves: '/healthz, /readyz (controller-runtime health probes)',
      at: config(188),
      quote: 'c.Controller.HealthProbeAddr = ":8081"',
    },
    metrics: {
      value: 9090,
      configKey: 'controller.metricsAddr',
      serves: '/metrics (controller-runtime)',
      at: config(185),
      quote: 'c.Controller.MetricsAddr = ":9090"',
    },
  },
  notes: [
    {
      text:
        'LoadFromFile decodes into a zero Config, then applyDefaults fills only controller.*, delivery.* ' +
        'and credentials: the whole datastorage section must be written.',
      at: config(125),
      quote: 'var cfg Config',
    },
    unknownKeysNote(config(126), 'yaml.Unmarshal(data, &cfg)'),
    {
      text:
        'controller.metricsAddr, controller.healthProbeAddr and controller.leaderElectionId are checked for ' +
        'emptiness by Validate, but applyDefaults (run first) replaces an empty value, so none is required.',
      at: config(131),
      quote: 'cfg.applyDefaults()',
    },
    {
      text:
        'The routing file is mandatory: /etc/notification-routing/routing.yaml (or ROUTING_CONFIG_PATH); ' +
        'the process exits when its watcher cannot load it.',
      at: main(711),
      quote: 'routingConfigPath := "/etc/notification-routing/routing.yaml"',
    },
  ],
};
