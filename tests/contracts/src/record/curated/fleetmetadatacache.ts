import { unknownKeysNote } from './shared.js';
import type { CuratedBinary, CuratedDefault, CuratedRequired } from './types.js';

const config = (line: number) => `pkg/fleet/fmc/config/config.go:${line}`;

const refused = (path: string, line: number, quote: string): CuratedRequired => ({
  path,
  at: config(line),
  quote,
});
/** `<Field>: <value>,` in DefaultServiceConfig() at `line`. */
const preset = (path: string, field: string, value: string, line: number): CuratedDefault => ({
  path,
  value,
  at: config(line),
  quote: `${field}: ${value},`,
});

export const fleetmetadatacache: CuratedBinary = {
  binary: 'fleetmetadatacache',
  required: [
    refused('mcpGateway.endpoint', 164, 'fmt.Errorf("mcpGateway.endpoint is required")'),
    refused('mcpGateway.gatewayType', 172, 'fmt.Errorf("mcpGateway.gatewayType is required")'),
    refused('valkey.addr', 178, 'fmt.Errorf("valkey.addr is required")'),
    refused('oauth2.tokenUrl', 184, 'fmt.Errorf("oauth2.tokenUrl is required'),
  ],
  defaults: [
    preset('mcpGateway.gatewayType', 'GatewayType', '"eaigw"', 120),
    preset('valkey.addr', 'Addr', '"valkey:6379"', 124),
  ],
  ports: {
    api: {
      value: 8080,
      configKey: 'server.apiAddr',
      serves: 'the scope-check API (TLS when server.tls.certDir holds a certificate)',
      at: config(115),
      quote: 'APIAddr: ":8080",',
    },
    health: {
      value: 8081,
      configKey: 'server.healthAddr',
      serves: '/healthz, /readyz (plain HTTP, for the kubelet)',
      at: config(116),
      quote: 'HealthAddr: ":8081",',
    },
    metrics: {
      value: 9090,
      configKey: 'server.metricsAddr',
      serves: '/metrics',
      at: config(117),
      quote: 'MetricsAddr: ":9090",',
    },
  },
  notes: [
    {
      text: 'LoadFromFile starts from DefaultServiceConfig(): a key left out keeps its default.',
      at: config(143),
      quote: 'cfg := DefaultServiceConfig()',
    },
    unknownKeysNote(config(154), 'yaml.Unmarshal(data, cfg)'),
    {
      text: 'mcpGateway.gatewayType must be eaigw or kuadrant.',
      at: config(175),
      quote: 'must be one of: eaigw, kuadrant',
    },
    {
      text:
        '/readyz answers 200 only once the MCP client is connected to the gateway and Valkey answers a PING: ' +
        'without the MCP gateway the pod never turns ready.',
      at: 'cmd/fleetmetadatacache/main.go:447',
      quote: 'servers.ready.Store(deps.mcpClient.Ready())',
    },
  ],
};
