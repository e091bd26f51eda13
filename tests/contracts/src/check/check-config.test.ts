import { describe, expect, it } from 'vitest';
import { loadFacts } from '../facts/load.js';
import { checkConfigAgainstFacts, checkConfigYaml } from './check-config.js';

const datastorage = loadFacts('datastorage');
const gateway = loadFacts('gateway');
const workflowexecution = loadFacts('workflowexecution');
const notification = loadFacts('notification');

/** A DataStorage config as a faithful deployment renders it. */
const dsConfig = () => ({
  server: { port: 8080, host: '0.0.0.0', metricsPort: 9090, healthPort: 8081, readTimeout: '30s' },
  database: {
    host: 'postgresql',
    port: 5432,
    name: 'action_history',
    user: 'slm_user',
    sslMode: 'disable',
    secretsFile: '/etc/datastorage/secrets/db-secrets.yaml',
    usernameKey: 'username',
    passwordKey: 'password',
  },
  redis: {
    addr: 'redis:6379',
    secretsFile: '/etc/datastorage/secrets/redis-secrets.yaml',
    passwordKey: 'password',
  },
  logging: { level: 'info' },
});

describe('checkConfigAgainstFacts (recorded datastorage facts)', () => {
  it('accepts a config the binary reads as written', () => {
    expect(checkConfigAgainstFacts(datastorage, dsConfig())).toEqual([]);
  });

  it('refuses `service:` for `server:`, naming each key and the one that exists', () => {
    const { server, ...rest } = dsConfig();
    const issues = checkConfigAgainstFacts(datastorage, {
      ...rest,
      service: { port: 8080, metricsPort: 9090 },
    });
    expect(issues).toContainEqual({
      path: 'service.metricsPort',
      message: `not a key of datastorage's Config (${datastorage.configStruct.at}); did you mean server.metricsPort?`,
    });
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'service.port',
        message: expect.stringContaining('did you mean server.port?'),
      }),
    );
    // And, the server section being gone, the API port the binary refuses to start without.
    expect(issues).toContainEqual({
      path: 'server.port',
      message: expect.stringMatching(
        /^required by datastorage and missing \(pkg\/datastorage\/config\/config_validate.go:\d+: fmt.Errorf\("server port required"\)\)$/,
      ),
    });
    expect(server.port).toBe(8080);
  });

  it('finds a key written at the wrong level, and a misspelt or wrongly cased one', () => {
    const config = dsConfig();
    const issues = checkConfigAgainstFacts(datastorage, {
      ...config,
      metricsPort: 9090,
      server: { ...config.server, helthPort: 8081 },
      database: { ...config.database, sslmode: 'disable' },
    });
    expect(issues.map((i) => [i.path, i.message.replace(/ \(.*?\); /, '; ')])).toEqual([
      ['server.helthPort', 'not a key of server; did you mean server.healthPort?'],
      ['database.sslmode', 'not a key of database; did you mean database.sslMode?'],
      ['metricsPort', "not a key of datastorage's Config; did you mean server.metricsPort?"],
    ]);
    expect(issues[0]!.message).toMatch(
      /^not a key of server \(ServerConfig, pkg\/datastorage\/config\/config.go:\d+\)/,
    );
  });

  it('lists what is allowed when nothing is close', () => {
    const issues = checkConfigAgainstFacts(datastorage, {
      ...dsConfig(),
      redis: { ...dsConfig().redis, zzz: 1 },
    });
    expect(issues).toEqual([
      {
        path: 'redis.zzz',
        message: expect.stringMatching(/; its keys are addr, dlqMaxLen, secretsFile, passwordKey, tls$/),
      },
    ]);
  });

  it('refuses an empty required key, and a required key left out', () => {
    const config = dsConfig();
    const issues = checkConfigAgainstFacts(datastorage, {
      ...config,
      database: { ...config.database, host: '', port: 0 },
      redis: { addr: 'redis:6379', passwordKey: 'password' },
    });
    expect(issues.map((i) => i.path)).toEqual(['database.host', 'database.port', 'redis.secretsFile']);
    expect(issues[0]!.message).toMatch(
      /^is empty \(the string ""\), which datastorage refuses \(pkg\/datastorage\/config\/config_validate.go:\d+: fmt.Errorf\("database host required"\)\)$/,
    );
    expect(issues[2]!.message).toMatch(
      /^required by datastorage and missing \(pkg\/datastorage\/config\/config_secrets.go:\d+/,
    );
  });

  it('refuses values yaml.v3 cannot decode into the field', () => {
    const config = dsConfig();
    const issues = checkConfigAgainstFacts(datastorage, {
      ...config,
      server: { ...config.server, port: '8080', metricsPort: 9090.5 },
      database: { ...config.database, maxOpenConns: true },
      redis: { ...config.redis, tls: 'on' },
      retention: { enabled: 'sometimes', partitionDropEnabled: 'on' },
    });
    expect(issues.map((i) => [i.path, i.message.replace(/ \([^()]*\)$/, '')])).toEqual([
      [
        'server.port',
        'is the string "8080", but server.port is an integer: a quoted number is a string to yaml.v3, which refuses it for an int',
      ],
      ['server.metricsPort', 'is the number 9090.5, but server.metricsPort is an integer'],
      ['database.maxOpenConns', 'is the true, but database.maxOpenConns is an integer'],
      ['redis.tls', 'is the string "on", but redis.tls is a mapping'],
      // yaml.v3 reads YAML 1.1's on/off/yes/no into a bool field, but nothing else.
      ['retention.enabled', 'is the string "sometimes", but retention.enabled is true or false'],
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(checkConfigAgainstFacts(datastorage, ['server'])).toEqual([
      { path: '', message: "datastorage's config must be a YAML mapping, not a sequence" },
    ]);
  });

  it('does not take a dotted key for a path', () => {
    expect(checkConfigAgainstFacts(datastorage, { ...dsConfig(), 'server.port': 8080 })[0]?.path).toBe(
      'server.port',
    );
  });
});

describe('checkConfigAgainstFacts (other binaries)', () => {
  it('accepts a gateway config that leaves defaulted required keys out, unless asked to demand them', () => {
    const config = {
      datastorage: { url: 'http://datastorage:8080' },
      processing: { deduplication: { cooldownPeriod: '5m' } },
    };
    expect(checkConfigAgainstFacts(gateway, config)).toEqual([]);
    const strict = checkConfigAgainstFacts(gateway, config, { requireDefaulted: true });
    expect(strict.map((i) => i.path)).toEqual([
      'server.listenAddr',
      'datastorage.healthUrl',
      'datastorage.timeout',
      'datastorage.buffer.bufferSize',
      'datastorage.buffer.batchSize',
      'datastorage.buffer.flushInterval',
    ]);
    expect(strict[0]!.message).toMatch(
      /; gateway would default it to ":8080" \(pkg\/gateway\/config\/config.go:\d+\)$/,
    );
  });

  it('checks durations as Go writes them', () => {
    const bad = checkConfigAgainstFacts(gateway, {
      server: { readTimeout: 30, writeTimeout: '30 seconds', idleTimeout: '2m30s' },
    });
    expect(bad.map((i) => [i.path, i.message.replace(/ \([^()]*\)$/, '')])).toEqual([
      [
        'server.readTimeout',
        'is the number 30, but server.readTimeout is a Go duration string (e.g. "30s", "1h30m"): yaml.v3 refuses a number for a time.Duration',
      ],
      [
        'server.writeTimeout',
        'is the string "30 seconds", but server.writeTimeout is a Go duration string (e.g. "30s", "1h30m")',
      ],
    ]);
    expect(checkConfigAgainstFacts(gateway, { datastorage: { timeout: '0s' } }).map((i) => i.path)).toEqual([
      'datastorage.timeout',
    ]);
  });

  it('demands the notification datastorage section, which its loader never defaults', () => {
    const issues = checkConfigAgainstFacts(notification, { controller: { metricsAddr: ':9090' } });
    expect(issues.map((i) => i.path)).toEqual([
      'datastorage.url',
      'datastorage.healthUrl',
      'datastorage.timeout',
      'datastorage.buffer.bufferSize',
      'datastorage.buffer.batchSize',
      'datastorage.buffer.flushInterval',
    ]);
  });

  it('applies validate:"required" below an optional section only when the section is there', () => {
    const base = {
      datastorage: { url: 'http://datastorage:8080' },
      execution: { namespace: 'kubernaut-workflows' },
    };
    expect(checkConfigAgainstFacts(workflowexecution, base)).toEqual([]);
    const withAnsible = checkConfigAgainstFacts(workflowexecution, {
      ...base,
      ansible: { organizationID: 1, tokenSecretRef: { name: 'awx' } },
    });
    expect(withAnsible.map((i) => i.path)).toEqual(['ansible.apiURL', 'ansible.tokenSecretRef.key']);
  });
});

describe('checkConfigYaml', () => {
  it('checks YAML text, and refuses a repeated key', () => {
    expect(checkConfigYaml(gateway, 'server:\n  listenAddr: ":8080"\n')).toEqual([]);
    expect(checkConfigYaml(gateway, 'servr:\n  listenAddr: ":8080"\n')[0]).toMatchObject({
      path: 'servr.listenAddr',
      message: expect.stringContaining('did you mean server.listenAddr?'),
    });
    const repeated = checkConfigYaml(
      gateway,
      'server:\n  listenAddr: ":8080"\nserver:\n  healthAddr: ":8081"\n',
    );
    expect(repeated).toHaveLength(1);
    expect(repeated[0]!.message).toMatch(/^gateway's config is not valid YAML: Map keys must be unique/);
  });
});
