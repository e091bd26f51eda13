import { unknownKeysNote } from './shared.js';
import type { CuratedBinary, CuratedDefault, CuratedRequired } from './types.js';

const config = (line: number) => `pkg/apifrontend/config/config.go:${line}`;

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

/** The API frontend's config file: a path it always reads, parsed with `config.Load(data)`. */
export const apifrontend: CuratedBinary = {
  binary: 'apifrontend',
  loader: 'Load',
  configPath: {
    value: '/etc/apifrontend/config.yaml',
    at: 'cmd/apifrontend/main.go:40',
    quote: 'const configPath = "/etc/apifrontend/config.yaml"',
    note: 'No --config flag: the path is a constant, and the binary exits when the file is missing.',
  },
  required: [
    refused('server.port', 425, 'must be 1024-65535'),
    refused('server.metricsPort', 428, 'must be 1024-65535'),
    refused('server.healthPort', 431, 'must be 1024-65535'),
    refused('agent.kaBaseURL', 440, 'is required'),
    refused('agent.kaMCPEndpoint', 446, 'is required'),
    refused('agent.dsBaseURL', 452, 'is required'),
    refused('agent.dsHealthURL', 458, 'is required'),
  ],
  defaults: [
    preset('server.port', 'Port', '8443', 280),
    preset('server.metricsPort', 'MetricsPort', '9090', 281),
    preset('server.healthPort', 'HealthPort', '8081', 282),
    preset('agent.kaBaseURL', 'KABaseURL', '"http://localhost:8080"', 286),
    preset('agent.kaMCPEndpoint', 'KAMCPEndpoint', '"http://localhost:8080/api/v1/mcp/"', 287),
    preset('agent.dsBaseURL', 'DSBaseURL', '"http://localhost:9090"', 288),
    preset('agent.dsHealthURL', 'DSHealthURL', '"http://localhost:9091/readyz"', 289),
  ],
  ports: {
    api: {
      value: 8443,
      configKey: 'server.port',
      serves: 'A2A, MCP and the REST API (HTTPS from server.tls.certDir)',
      at: config(280),
      quote: 'Port: 8443,',
      note: 'A number, not an address.',
    },
    health: {
      value: 8081,
      configKey: 'server.healthPort',
      serves: '/healthz, /readyz',
      at: config(282),
      quote: 'HealthPort: 8081,',
    },
    metrics: {
      value: 9090,
      configKey: 'server.metricsPort',
      serves: '/metrics',
      at: config(281),
      quote: 'MetricsPort: 9090,',
    },
  },
  notes: [
    {
      text: 'Load starts from DefaultConfig(): a key left out keeps its default (a localhost placeholder for the URLs).',
      at: config(383),
      quote: 'cfg := DefaultConfig()',
    },
    unknownKeysNote(config(387), 'yaml.Unmarshal(data, cfg)'),
    {
      text: 'With server.tls.required, auth.issuerURL or auth.jwtProviders is required.',
      at: config(503),
      quote: 'auth.issuerURL or auth.jwtProviders is required when server.tls.required is true',
    },
    {
      text: 'server.port, server.metricsPort and server.healthPort must be three different ports.',
      at: config(770),
      quote: 'server.port and server.metricsPort must be distinct',
    },
  ],
};
