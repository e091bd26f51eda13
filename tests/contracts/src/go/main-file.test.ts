import { afterEach, describe, expect, it } from 'vitest';
import { type TempModule, tempModule } from '../testing/temp-module.js';
import { findConfigFlag, findConfigLoad } from './main-file.js';
import { GoModule } from './module.js';

const CONFIG_PKG = `package config

const DefaultConfigPath = "/etc/shop/config.yaml"

type ShopConfig struct {
	Port int \`yaml:"port"\`
}

func LoadFromFile(path string) (*ShopConfig, error) { return &ShopConfig{}, nil }
`;

describe('findConfigFlag and findConfigLoad', () => {
  let mod: TempModule | undefined;
  afterEach(() => mod?.remove());
  const open = (main: string, extra: Record<string, string> = {}) => {
    mod = tempModule({ 'pkg/shop/config/config.go': CONFIG_PKG, 'cmd/shop/main.go': main, ...extra });
    return GoModule.open(mod.root);
  };

  it('resolves a --config default that names a constant of another package', () => {
    const module = open(`package main

import (
	"flag"

	shopconfig "example.com/shop/pkg/shop/config"
)

func main() {
	// flag.StringVar(&old, "config", "/wrong/path.yaml", "commented out")
	var configPath string
	flag.StringVar(&configPath, "config", shopconfig.DefaultConfigPath, "Path to YAML configuration file")
	flag.Parse()
	cfg, err := shopconfig.LoadFromFile(configPath)
	_, _ = cfg, err
}
`);
    expect(findConfigFlag(module, 'cmd/shop/main.go')).toEqual({
      flag: 'config',
      value: '/etc/shop/config.yaml',
      at: 'cmd/shop/main.go:12',
      const: { name: 'DefaultConfigPath', at: 'pkg/shop/config/config.go:3' },
    });
    expect(findConfigLoad(module, 'cmd/shop/main.go')).toEqual({
      dir: 'pkg/shop/config',
      typeName: 'ShopConfig',
      typeAt: 'pkg/shop/config/config.go:5',
      at: 'cmd/shop/main.go:14',
    });
  });

  it('reads a literal default written over several lines, with flag.String and a package named by its clause', () => {
    const module = open(`package main

import (
	"flag"

	"example.com/shop/pkg/shop/config"
)

var other = flag.String("addr", ":8080", "listen address")
var configPath = flag.String(
	"config",
	"/etc/shop/literal.yaml",
	"Path to configuration file",
)

func main() { config.LoadFromFile(*configPath) }
`);
    expect(findConfigFlag(module, 'cmd/shop/main.go')).toEqual({
      flag: 'config',
      value: '/etc/shop/literal.yaml',
      at: 'cmd/shop/main.go:10',
    });
    expect(findConfigLoad(module, 'cmd/shop/main.go').typeName).toBe('ShopConfig');
  });

  it('says so when main defines no --config flag, or loads no config of the module', () => {
    const module = open(`package main

import "os"

func main() { _ = os.Getenv("CONFIG_PATH") }
`);
    expect(findConfigFlag(module, 'cmd/shop/main.go')).toBeUndefined();
    expect(() => findConfigLoad(module, 'cmd/shop/main.go')).toThrow(
      /cmd\/shop\/main.go calls no <package>.LoadFromFile\(…\) of the module/,
    );
  });

  it('refuses a --config default it cannot resolve to a string', () => {
    const module = open(`package main

import "flag"

func main() { flag.String("config", defaultPath(), "x") }
`);
    expect(() => findConfigFlag(module, 'cmd/shop/main.go')).toThrow(
      /the default of --config \(defaultPath\(\)\)/,
    );
  });
});
