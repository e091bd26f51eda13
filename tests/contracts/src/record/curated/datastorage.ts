import { unknownKeysNote } from './shared.js';
import type { CuratedBinary } from './types.js';

const validate = (line: number) => `pkg/datastorage/config/config_validate.go:${line}`;
const secrets = (line: number) => `pkg/datastorage/config/config_secrets.go:${line}`;
const main = (line: number) => `cmd/datastorage/main.go:${line}`;

export const datastorage: CuratedBinary = {
  binary: 'datastorage',
  configPath: {
    env: 'CONFIG_PATH',
    at: main(84),
    quote: 'cfgPath = os.Getenv("CONFIG_PATH")',
    note: 'No --config flag: the path comes from the CONFIG_PATH environment variable, and the binary exits when it is not set.',
  },
  required: [
    { path: 'database.host', at: validate(65), quote: 'fmt.Errorf("database host required")' },
    { path: 'database.port', at: validate(68), quote: 'fmt.Errorf("database port required")' },
    { path: 'database.name', at: validate(74), quote: 'fmt.Errorf("database name required")' },
    {
      path: 'database.user',
      at: validate(77),
      quote: 'fmt.Errorf("database user required")',
      note: 'Validate runs after LoadSecrets: a username found under database.usernameKey in the secrets file replaces it.',
    },
    {
      path: 'database.secretsFile',
      at: secrets(54),
      quote: 'fmt.Errorf("database secretsFile required (ADR-030 Section 6)")',
    },
    {
      path: 'database.passwordKey',
      at: secrets(57),
      quote: 'fmt.Errorf("database passwordKey required (ADR-030 Section 6)")',
    },
    { path: 'server.port', at: validate(108), quote: 'fmt.Errorf("server port required")' },
    { path: 'redis.addr', at: validate(141), quote: 'fmt.Errorf("redis address required")' },
    {
      path: 'redis.secretsFile',
      at: secrets(99),
      quote: 'fmt.Errorf("redis secretsFile required (ADR-030 Section 6)")',
    },
    {
      path: 'redis.passwordKey',
      at: secrets(102),
      quote: 'fmt.Errorf("redis passwordKey required (ADR-030 Section 6)")',
    },
  ],
  defaults: [],
  ports: {
    health: {
      value: 8081,
      configKey: 'server.healthPort',
      serves: '/healthz, /readyz (pkg/shared/health NewHealthServer)',
      at: validate(121),
      quote: 'c.Server.HealthPort = 8081',
      note: 'The HEALTH_PORT environment variable overrides it.',
    },
    metrics: {
      value: 9090,
      configKey: 'server.metricsPort',
      serves: '/metrics',
      at: validate(116),
      quote: 'c.Server.MetricsPort = 9090',
    },
    api: {
      value: null,
      configKey: 'server.port',
      serves: 'the REST API, on server.host:server.port',
      at: main(269),
      quote: 'fmt.Sprintf("%s:%d", cfg.Server.Host, cfg.Server.Port)',
      note: 'No default: server.port is required (1024-65535). The PORT environment variable overrides it.',
    },
  },
  notes: [
    {
      text: 'LoadFromFile decodes into a zero Config: nothing has a default except what Validate fills in.',
      at: 'pkg/datastorage/config/config.go:289',
      quote: 'var cfg Config',
    },
    unknownKeysNote('pkg/datastorage/config/config.go:290', 'yaml.Unmarshal(data, &cfg)'),
    {
      text: 'The PORT environment variable overrides server.port.',
      at: main(368),
      quote: 'os.Getenv("PORT")',
    },
    {
      text: 'The HEALTH_PORT environment variable overrides server.healthPort.',
      at: main(384),
      quote: 'os.Getenv("HEALTH_PORT")',
    },
  ],
};
