import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DriftError } from '../errors.js';
import { formatFacts } from '../facts/load.js';
import type { Binary } from '../facts/types.js';
import { GoModule } from '../go/module.js';
import { type TempModule, tempModule } from '../testing/temp-module.js';
import { main } from './cli.js';
import type { CuratedBinary } from './curated/types.js';
import { recordBinary } from './record.js';

/** Our own miniature service, laid out as kubernaut lays out a binary: cmd/<binary>/main.go + a config package. */
const CONFIG = `package config

import (
	"fmt"
	"time"

	"example.com/shop/internal/common"
)

const DefaultConfigPath = "/etc/shop/config.yaml"

type Config struct {
	Server  ServerSettings    \`yaml:"server"\`
	Store   common.StoreConfig \`yaml:"store"\`
	Plugins *PluginConfig     \`yaml:"plugins,omitempty"\`
}

type ServerSettings struct {
	ListenAddr string        \`yaml:"listenAddr"\`
	HealthAddr string        \`yaml:"healthAddr"\`
	Timeout    time.Duration \`yaml:"timeout"\`
}

type PluginConfig struct {
	Dir string \`yaml:"dir" validate:"required"\`
}

func DefaultConfig() *Config {
	return &Config{
		Server: ServerSettings{
			ListenAddr: ":7070",
			HealthAddr: ":7071",
		},
	}
}

func LoadFromFile(path string) (*Config, error) {
	cfg := DefaultConfig()
	return cfg, nil
}

func (c *Config) Validate() error {
	if c.Server.ListenAddr == "" {
		return fmt.Errorf("server.listenAddr is required")
	}
	if c.Store.URL == "" {
		return fmt.Errorf("store.url is required")
	}
	return nil
}
`;
const COMMON = `package common

type StoreConfig struct {
	URL string \`yaml:"url"\`
}
`;
const MAIN = `package main

import (
	"flag"

	"example.com/shop/pkg/shop/config"
)

func main() {
	var configPath string
	flag.StringVar(&configPath, "config", config.DefaultConfigPath, "Path to YAML configuration file")
	flag.Parse()
	cfg, _ := config.LoadFromFile(configPath)
	_ = cfg.Validate()
}
`;

const CURATED: CuratedBinary = {
  binary: 'gateway',
  main: 'cmd/shop/main.go',
  required: [
    {
      path: 'server.listenAddr',
      at: 'pkg/shop/config/config.go:44',
      quote: 'fmt.Errorf("server.listenAddr is required")',
    },
    { path: 'store.url', at: 'pkg/shop/config/config.go:47', quote: 'fmt.Errorf("store.url is required")' },
  ],
  defaults: [
    {
      path: 'server.listenAddr',
      value: '":7070"',
      at: 'pkg/shop/config/config.go:31',
      quote: 'ListenAddr: ":7070",',
    },
  ],
  ports: {
    health: {
      value: 7071,
      configKey: 'server.healthAddr',
      serves: '/healthz',
      at: 'pkg/shop/config/config.go:32',
      quote: 'HealthAddr: ":7071",',
    },
  },
  notes: [
    { text: 'starts from defaults', at: 'pkg/shop/config/config.go:38', quote: 'cfg := DefaultConfig()' },
  ],
};

describe('recordBinary', () => {
  let mod: TempModule;
  beforeEach(() => {
    mod = tempModule({
      'pkg/shop/config/config.go': CONFIG,
      'internal/common/store.go': COMMON,
      'cmd/shop/main.go': MAIN,
    });
  });
  afterEach(() => mod.remove());
  const record = (curated: CuratedBinary = CURATED) =>
    recordBinary({ module: GoModule.open(mod.root), commit: 'abc123', curated });

  it('records the struct main loads, its keys, the config path, required keys, defaults, ports and notes', () => {
    const { facts, moved } = record();
    expect(moved).toEqual([]);
    expect(facts.kubernaut).toEqual({ repository: 'jordigilh/kubernaut', commit: 'abc123' });
    expect(facts.configStruct).toEqual({
      name: 'Config',
      package: 'pkg/shop/config',
      at: 'pkg/shop/config/config.go:12',
      loadedAt: 'cmd/shop/main.go:13',
    });
    expect(facts.defaultConfigPath).toEqual({
      value: '/etc/shop/config.yaml',
      at: 'cmd/shop/main.go:11',
      flag: 'config',
      const: { name: 'DefaultConfigPath', at: 'pkg/shop/config/config.go:10' },
    });
    expect(facts.keys.map((k) => k.path)).toEqual([
      'server',
      'server.listenAddr',
      'server.healthAddr',
      'server.timeout',
      'store',
      'store.url',
      'plugins',
      'plugins.dir',
    ]);
    expect(facts.required).toEqual([
      {
        path: 'server.listenAddr',
        at: 'pkg/shop/config/config.go:44',
        quote: 'fmt.Errorf("server.listenAddr is required")',
        default: { value: '":7070"', at: 'pkg/shop/config/config.go:31', quote: 'ListenAddr: ":7070",' },
        source: 'curated',
      },
      {
        path: 'store.url',
        at: 'pkg/shop/config/config.go:47',
        quote: 'fmt.Errorf("store.url is required")',
        source: 'curated',
      },
      {
        path: 'plugins.dir',
        at: 'pkg/shop/config/config.go:25',
        quote: 'validate:"required"',
        onlyWhenPresent: 'plugins',
        source: 'validate-tag',
      },
    ]);
    expect(facts.ports.health).toMatchObject({
      value: 7071,
      configKey: 'server.healthAddr',
      at: 'pkg/shop/config/config.go:32',
    });
    expect(facts.notes).toEqual([
      { text: 'starts from defaults', at: 'pkg/shop/config/config.go:38', quote: 'cfg := DefaultConfig()' },
    ]);
  });

  it('re-finds a quote whose line moved, and records the new line', () => {
    mod.write(
      'pkg/shop/config/config.go',
      CONFIG.replace(
        'func (c *Config) Validate() error {',
        '// Validate checks.\n//\n// More words.\nfunc (c *Config) Validate() error {',
      ).replace('\t\t\tListenAddr: ":7070",', '\t\t\tListenAddr:        ":7070", // realigned by gofmt'),
    );
    const { facts, moved } = record();
    expect(facts.required[0]).toMatchObject({
      path: 'server.listenAddr',
      at: 'pkg/shop/config/config.go:47',
    });
    expect(facts.required[0]!.default?.at).toBe('pkg/shop/config/config.go:31');
    expect(moved).toEqual([
      {
        fact: 'required server.listenAddr',
        from: 'pkg/shop/config/config.go:44',
        to: 'pkg/shop/config/config.go:47',
      },
      {
        fact: 'required store.url',
        from: 'pkg/shop/config/config.go:47',
        to: 'pkg/shop/config/config.go:50',
      },
    ]);
  });

  it('fails, listing every fact that no longer holds, when kubernaut changed under the quotes', () => {
    mod.write(
      'pkg/shop/config/config.go',
      CONFIG.replace('fmt.Errorf("store.url is required")', 'fmt.Errorf("store: url must be set")')
        .replace('HealthAddr: ":7071",', 'HealthAddr: ":9999",')
        .replace('yaml:"listenAddr"', 'yaml:"listen"'),
    );
    let error: unknown;
    try {
      record();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DriftError);
    const drift = error as DriftError;
    expect(drift.code).toBe('KC_DRIFT');
    expect(drift.problems).toEqual([
      {
        fact: 'required server.listenAddr',
        at: 'pkg/shop/config/config.go:44',
        message: 'server.listenAddr is no longer a key of Config (pkg/shop/config/config.go:12)',
      },
      {
        fact: 'required store.url',
        at: 'pkg/shop/config/config.go:47',
        message: 'the quote `fmt.Errorf("store.url is required")` is no longer in pkg/shop/config/config.go',
      },
      {
        fact: 'port health',
        at: 'pkg/shop/config/config.go:32',
        message: 'the quote `HealthAddr: ":7071",` is no longer in pkg/shop/config/config.go',
      },
    ]);
    expect(drift.message).toContain(
      'a human must look at the source and update src/record/curated/gateway.ts',
    );
  });

  it('checks the curated facts themselves: a default not in its quote, a port value not in its quote, a cited file gone', () => {
    expect(() =>
      record({
        ...CURATED,
        defaults: [{ ...CURATED.defaults[0]!, value: '":7000"' }],
        ports: { health: { ...CURATED.ports.health!, value: 8081 } },
        notes: [{ text: 'x', at: 'pkg/gone.go:1', quote: 'anything' }],
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({
            fact: 'default of server.listenAddr',
            message: 'the value ":7000" is not in the quote',
          }),
          expect.objectContaining({ fact: 'port health', message: 'the value 8081 is not in the quote' }),
          expect.objectContaining({ fact: 'note 1', message: 'pkg/gone.go no longer exists' }),
        ],
      }),
    );
  });

  it('records how a binary without --config is told its path, and fails when main gains the flag', () => {
    const configPath = {
      env: 'SHOP_CONFIG',
      at: 'cmd/shop/main.go:5',
      quote: 'os.Getenv("SHOP_CONFIG")',
      note: 'no flag',
    };
    mod.write(
      'cmd/shop/main.go',
      `package main

import "example.com/shop/pkg/shop/config"

func main() { config.LoadFromFile(os.Getenv("SHOP_CONFIG")) }
`,
    );
    expect(record({ ...CURATED, configPath }).facts.defaultConfigPath).toEqual({
      value: null,
      at: 'cmd/shop/main.go:5',
      env: 'SHOP_CONFIG',
      quote: 'os.Getenv("SHOP_CONFIG")',
      note: 'no flag',
    });
    mod.write('cmd/shop/main.go', MAIN);
    expect(() => record({ ...CURATED, configPath })).toThrow(
      /now defines --config \(default \/etc\/shop\/config.yaml\)/,
    );
  });

  it('records a binary that parses bytes with its own loader from a path it always reads', () => {
    mod.write(
      'pkg/shop/config/load.go',
      `package config

func Load(data []byte) (*Config, error) { return DefaultConfig(), nil }
`,
    );
    mod.write(
      'cmd/shop/main.go',
      `package main

import (
	"os"

	"example.com/shop/pkg/shop/config"
)

const configPath = "/etc/shop/config.yaml"

func main() {
	data, _ := os.ReadFile(configPath)
	config.Load(data)
}
`,
    );
    const configPath = {
      value: '/etc/shop/config.yaml',
      at: 'cmd/shop/main.go:9',
      quote: 'const configPath = "/etc/shop/config.yaml"',
      note: 'a constant, no flag',
    };
    const { facts } = record({ ...CURATED, loader: 'Load', configPath });
    expect(facts.configStruct).toMatchObject({ name: 'Config', package: 'pkg/shop/config' });
    expect(facts.keys.map((k) => k.path)).toContain('server.listenAddr');
    expect(facts.defaultConfigPath).toEqual(configPath);
    // Without the loader's name the recorder finds no LoadFromFile call in main.
    expect(() => record({ ...CURATED, configPath })).toThrow(/calls no <package>\.LoadFromFile/);
    // A path that is not in its quote is a curated fact that no longer holds.
    expect(() =>
      record({ ...CURATED, loader: 'Load', configPath: { ...configPath, value: '/etc/x.yaml' } }),
    ).toThrow(DriftError);
  });
});

describe('the record command', () => {
  let mod: TempModule;
  let out: string;
  beforeEach(() => {
    mod = tempModule({
      'pkg/shop/config/config.go': CONFIG,
      'internal/common/store.go': COMMON,
      'cmd/shop/main.go': MAIN,
    });
    out = mkdtempSync(join(tmpdir(), 'contracts-facts-'));
  });
  afterEach(() => {
    mod.remove();
    rmSync(out, { recursive: true, force: true });
    vi.restoreAllMocks();
  });
  const curatedMap = { gateway: CURATED } as unknown as Record<Binary, CuratedBinary>;

  it('writes facts/<binary>.json naming the checkout commit, and says when a re-run changed nothing', () => {
    const commit = mod.commit();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(main(['--kubernaut', mod.root, '--out', out, 'gateway'], curatedMap)).toBe(0);
    const written = readFileSync(join(out, 'gateway.json'), 'utf8');
    const facts = JSON.parse(written);
    expect(facts.kubernaut.commit).toBe(commit);
    expect(written).toBe(formatFacts(facts));
    expect(log.mock.calls.at(-1)?.[0]).toMatch(
      /^gateway: 8 keys, 3 required, ports health 7071 → .*\(new\)$/,
    );
    expect(main(['--kubernaut', mod.root, '--out', out, 'gateway'], curatedMap)).toBe(0);
    expect(log.mock.calls.at(-1)?.[0]).toMatch(/\(unchanged\)$/);
  });

  it('exits 1 with the drift listed and leaves the facts as they were', () => {
    mod.write('pkg/shop/config/config.go', CONFIG.replace('store.url is required', 'store url missing'));
    mod.commit();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(main(['--kubernaut', mod.root, '--out', out, 'gateway'], curatedMap)).toBe(1);
    expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
      /required store.url \(pkg\/shop\/config\/config.go:47\)/,
    );
    expect(existsSync(join(out, 'gateway.json'))).toBe(false);
  });

  it('refuses to run without a checkout, on a directory that is not a git work tree, or for an unknown binary', () => {
    const saved = process.env.KUBERNAUT_CHECKOUT;
    delete process.env.KUBERNAUT_CHECKOUT;
    try {
      expect(() => main(['--out', out], curatedMap)).toThrow(/no kubernaut checkout given/);
    } finally {
      if (saved !== undefined) process.env.KUBERNAUT_CHECKOUT = saved;
    }
    expect(() => main(['--kubernaut', mod.root, '--out', out, 'gateway'], curatedMap)).toThrow(
      /is not a git work tree/,
    );
    expect(() => main(['--kubernaut', mod.root, '--out', out, 'shop'], curatedMap)).toThrow(
      /unknown binary shop: the binaries are gateway, datastorage/,
    );
  });
});
